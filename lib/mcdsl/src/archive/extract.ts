// extractArchive: tar.zst → a new directory. Everything is unpacked into a staging directory
// beside the target and renamed into place only when every entry passed the checks, so a hostile
// or corrupt archive leaves nothing behind: no "../" or absolute names, no symlinks pointing
// outside, no writing through symlinks, no device files.
import { lstatSync } from "node:fs";
import {
  chmod,
  mkdir,
  mkdtemp,
  open,
  readdir,
  rename,
  rm,
  rmdir,
  symlink,
  utimes,
} from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { checkNoSymlinkParents, checkSymlink, safeEntryName } from "./safe-path.ts";
import { ArchiveError } from "./tar-format.ts";
import { type ReadEntry, readTar } from "./tar-read.ts";
import { decompressFrom, settleDecompress } from "./zstd.ts";

export interface ExtractOptions {
  /** Refuse archives whose files add up to more than this many bytes (a decompression bomb). */
  maxBytes?: number;
}

export interface ExtractSummary {
  entries: number;
  bytes: number;
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

async function prepareTarget(dest: string): Promise<boolean> {
  try {
    const names = await readdir(dest);
    if (names.length > 0) throw new ArchiveError(`restore target ${dest} is not empty`);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

async function writeFile(target: string, e: ReadEntry): Promise<number> {
  const fh = await open(target, "wx", 0o600);
  let n = 0;
  try {
    for await (const chunk of e.data()) {
      await fh.write(chunk);
      n += chunk.length;
    }
  } finally {
    await fh.close();
  }
  await chmod(target, e.mode & 0o777);
  await utimes(target, e.mtime, e.mtime);
  return n;
}

async function extractEntry(
  stage: string,
  e: ReadEntry,
  dirModes: Map<string, number>,
): Promise<number> {
  const name = safeEntryName(e.name);
  if (name === ".") {
    if (e.type !== "directory") throw new ArchiveError(`refusing non-directory root entry`);
    return 0;
  }
  checkNoSymlinkParents(stage, name);
  const target = join(stage, name);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  if (e.type === "directory") {
    if (exists(target) && !lstatSync(target).isDirectory())
      throw new ArchiveError(`duplicate entry "${name}"`);
    await mkdir(target, { recursive: true, mode: 0o700 });
    dirModes.set(target, e.mode & 0o777);
    return 0;
  }
  if (exists(target)) throw new ArchiveError(`duplicate entry "${name}"`);
  if (e.type === "symlink") {
    checkSymlink(stage, name, e.linkname ?? "");
    await symlink(e.linkname!, target);
    return 0;
  }
  return writeFile(target, e);
}

export async function extractArchive(
  file: string,
  destDir: string,
  opts: ExtractOptions = {},
): Promise<ExtractSummary> {
  const maxBytes = opts.maxBytes ?? Number.POSITIVE_INFINITY;
  const dest = resolve(destDir);
  const destExists = await prepareTarget(dest);
  await mkdir(dirname(dest), { recursive: true });
  const stage = await mkdtemp(join(dirname(dest), `.${basename(dest)}.restore-`));
  const z = decompressFrom(file);
  let entries = 0;
  let bytes = 0;
  try {
    const dirModes = new Map<string, number>();
    const unpack = (async () => {
      for await (const e of readTar(z.stdout)) {
        if (bytes + e.size > maxBytes) {
          throw new ArchiveError(`archive holds more than the allowed ${maxBytes} bytes`);
        }
        bytes += await extractEntry(stage, e, dirModes);
        entries++;
      }
      z.stdout.resume(); // trailing zero blocks / padding
    })();
    await Promise.all([unpack, z.done]);
    // Deepest first, so a read-only directory is closed only after its children were written.
    for (const [dir, mode] of [...dirModes].sort((a, b) => b[0].length - a[0].length))
      await chmod(dir, mode);
    if (destExists) await rmdir(dest);
    await rename(stage, dest);
    return { entries, bytes };
  } catch (e) {
    const err = await settleDecompress(z, e);
    await rm(stage, { recursive: true, force: true });
    throw err;
  }
}
