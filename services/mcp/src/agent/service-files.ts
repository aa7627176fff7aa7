// Files of a service under <root>/<service>/ (root: [files] root, /srv): a path from the
// operator is confined to that folder. Refused: an empty or absolute path, a ".." segment, a NUL,
// and any path whose existing part resolves (through symlinks) outside the folder. Writes go to
// a temporary file in the same folder and are renamed into place, so a symlink at the target is
// replaced, never written through.
import { constants, createReadStream, type ReadStream } from "node:fs";
import { lstat, mkdir, open, realpath, rename, rm } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { AppError } from "@metacircular/mcdsl/errors";

export interface FilesConfig {
  /** The folder holding one folder per service (default /srv). */
  root: string;
  /** The largest file or archive accepted, in bytes. */
  maxBytes: number;
}

export const DEFAULT_FILES: FilesConfig = { root: "/srv", maxBytes: 1 << 30 };

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const refused = (path: string, why: string) =>
  AppError.badRequest("path_refused", `${JSON.stringify(path)}: ${why}`);

export function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** <root>/<service>, checked to be a service name (a DNS label). */
export function serviceDir(cfg: FilesConfig, service: string): string {
  if (!LABEL.test(service))
    throw AppError.badRequest(
      "invalid_service",
      `${JSON.stringify(service)} is not a service name`,
    );
  return join(cfg.root, service);
}

/** The relative path's segments, refusing absolute paths, "..", NUL and empty paths. */
export function pathSegments(path: string): string[] {
  if (path.includes("\0")) throw refused(path, "contains NUL");
  if (isAbsolute(path) || path.startsWith("\\")) throw refused(path, "absolute paths are refused");
  const parts = path.split(/[/\\]+/).filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw refused(path, '".." is refused');
  if (parts.length === 0) throw refused(path, "names no file");
  return parts;
}

async function realOrNull(p: string): Promise<string | null> {
  try {
    return await realpath(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/**
 * The file's absolute path inside the service folder (created 0750 when missing). Every part of
 * the path that exists must resolve inside the folder's real path.
 */
export async function confinedPath(cfg: FilesConfig, service: string, path: string) {
  const parts = pathSegments(path);
  const dir = serviceDir(cfg, service);
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const root = await realpath(dir);
  let cur = root;
  for (const p of parts) {
    cur = join(cur, p);
    const real = await realOrNull(cur);
    if (real === null) {
      const link = await lstat(cur).catch(() => null);
      if (link?.isSymbolicLink()) throw refused(path, "a symlink that leads nowhere");
      break;
    }
    if (!inside(root, real)) throw refused(path, "resolves outside the service folder");
  }
  return { root, file: join(root, ...parts) };
}

/** A reader of the file (not a directory), refusing a final symlink that leaves the folder. */
export async function openServiceFile(
  cfg: FilesConfig,
  service: string,
  path: string,
): Promise<ReadStream> {
  const { root, file } = await confinedPath(cfg, service, path);
  const real = await realOrNull(file);
  if (real === null) throw AppError.notFound("file_not_found", `no file ${path} in ${service}`);
  if (!inside(root, real)) throw refused(path, "resolves outside the service folder");
  const fh = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  if (!(await fh.stat()).isFile()) {
    await fh.close();
    throw refused(path, "is not a regular file");
  }
  return createReadStream("", { fd: fh, highWaterMark: 64 * 1024 });
}

/** Writes the chunks to the file (temporary file + rename); returns the bytes written. */
export async function writeServiceFile(
  cfg: FilesConfig,
  service: string,
  path: string,
  mode: number,
  chunks: AsyncIterable<Uint8Array>,
): Promise<number> {
  const { file } = await confinedPath(cfg, service, path);
  await mkdir(dirname(file), { recursive: true, mode: 0o750 });
  const tmp = `${file}.mcp-push-${process.pid}-${Date.now()}`;
  const fh = await open(tmp, "wx", (mode || 0o640) & 0o777);
  let n = 0;
  try {
    for await (const c of chunks) {
      n += c.byteLength;
      if (n > cfg.maxBytes)
        throw AppError.badRequest("file_too_large", `${path} is over ${cfg.maxBytes} bytes`);
      await fh.write(c);
    }
    await fh.close();
    await rename(tmp, file);
    return n;
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}
