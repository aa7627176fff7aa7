// Snapshot and restore of a service's folder (<root>/<service>/) as tar.zst, with mcdsl's
// archive (the format every service's backups use). A restore unpacks into the folder only
// after the whole archive passed the archive's checks (no "..", absolute names or escaping
// symlinks); the folder it replaces is kept aside until then and put back on failure. A
// deployed service is stopped for the swap (its containers bind-mount the folder) and started
// again afterwards.
import { createReadStream, type ReadStream } from "node:fs";
import { mkdtemp, open, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ArchiveError, createArchive, extractArchive } from "@metacircular/mcdsl/archive";
import { AppError } from "@metacircular/mcdsl/errors";
import { type FilesConfig, serviceDir } from "./service-files.ts";

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** The folder as a tar.zst stream; the temporary archive is removed once read or abandoned. */
export async function snapshotStream(cfg: FilesConfig, service: string): Promise<ReadStream> {
  const dir = serviceDir(cfg, service);
  if (!(await exists(dir)))
    throw AppError.notFound("no_service_folder", `${dir} does not exist on this node`);
  const work = await mkdtemp(join(tmpdir(), "mcp-snapshot-"));
  const file = join(work, `${service}.tar.zst`);
  try {
    await createArchive(dir, file);
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    throw e;
  }
  const s = createReadStream(file, { highWaterMark: 64 * 1024 });
  s.once("close", () => void rm(work, { recursive: true, force: true }));
  return s;
}

/** Receives the archive into a temporary file, refusing more than maxBytes. */
export async function receiveArchive(
  cfg: FilesConfig,
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ file: string; cleanup(): Promise<void> }> {
  const work = await mkdtemp(join(tmpdir(), "mcp-restore-"));
  const cleanup = () => rm(work, { recursive: true, force: true });
  const file = join(work, "archive.tar.zst");
  const fh = await open(file, "wx", 0o600);
  try {
    let n = 0;
    for await (const c of chunks) {
      n += c.byteLength;
      if (n > cfg.maxBytes)
        throw AppError.badRequest("file_too_large", `archive is over ${cfg.maxBytes} bytes`);
      await fh.write(c);
    }
    await fh.close();
    return { file, cleanup };
  } catch (e) {
    await fh.close().catch(() => undefined);
    await cleanup();
    throw e;
  }
}

/** Replaces the service folder by the archive's content. */
export async function restoreFolder(
  cfg: FilesConfig,
  service: string,
  archive: string,
): Promise<{ entries: number; bytes: number }> {
  const dir = serviceDir(cfg, service);
  const aside = join(dirname(dir), `.${service}.before-restore-${Date.now()}`);
  const had = await exists(dir);
  if (had) await rename(dir, aside);
  try {
    const r = await extractArchive(archive, dir, { maxBytes: cfg.maxBytes });
    if (had) await rm(aside, { recursive: true, force: true });
    return r;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    if (had) await rename(aside, dir);
    if (e instanceof ArchiveError) throw AppError.badRequest("invalid_archive", e.message);
    throw e;
  }
}
