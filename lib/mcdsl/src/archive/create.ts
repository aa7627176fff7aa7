// createArchive: a service directory → tar.zst. When a database is named, its live file (and
// -wal/-shm) is replaced in the archive by an online snapshot, so the backup is consistent
// while the service keeps running.
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { lstat, mkdtemp, readdir, readlink, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import type { Writable } from "node:stream";
import type { Logger } from "pino";
import { chmodBestEffort, type DB, openDatabase, snapshot } from "../db/index.ts";
import { ArchiveError, BLOCK, encodeHeader, padding, type TarEntry } from "./tar-format.ts";
import { compressTo } from "./zstd.ts";

export interface CreateOptions {
  /** A SQLite database inside `dir` to snapshot instead of copying. */
  db?: { path: string; handle?: DB };
  /** Paths relative to `dir` to leave out (exact match or directory prefix). */
  exclude?: string[];
  logger?: Logger;
  /** zstd level, default 3. */
  level?: number;
}

export interface ArchiveSummary {
  entries: number;
  bytes: number;
}

interface Source {
  entry: TarEntry;
  file?: string;
}

async function write(out: Writable, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

function toPosix(rel: string): string {
  return rel.split(sep).join("/");
}

async function walk(
  root: string,
  skip: (rel: string) => boolean,
  logger?: Logger,
): Promise<Source[]> {
  const out: Source[] = [];
  async function visit(abs: string): Promise<void> {
    const names = (await readdir(abs)).sort();
    for (const n of names) {
      const p = join(abs, n);
      const rel = toPosix(relative(root, p));
      if (skip(rel)) continue;
      const st = await lstat(p);
      const base = { name: rel, mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000) };
      if (st.isDirectory()) {
        out.push({ entry: { ...base, type: "directory", size: 0 } });
        await visit(p);
      } else if (st.isFile()) {
        out.push({ entry: { ...base, type: "file", size: st.size }, file: p });
      } else if (st.isSymbolicLink()) {
        out.push({ entry: { ...base, type: "symlink", size: 0, linkname: await readlink(p) } });
      } else {
        logger?.warn({ path: rel }, "archive: skipping special file");
      }
    }
  }
  await visit(root);
  return out;
}

async function writeFileData(out: Writable, src: Source): Promise<void> {
  let written = 0;
  for await (const chunk of createReadStream(src.file!)) {
    const b = chunk as Buffer;
    const room = src.entry.size - written;
    if (room <= 0) break;
    const part = b.length > room ? b.subarray(0, room) : b;
    await write(out, part);
    written += part.length;
  }
  // A file that shrank while being read is padded so the archive stays well-formed.
  if (written < src.entry.size) await write(out, Buffer.alloc(src.entry.size - written));
  await write(out, padding(src.entry.size));
}

export async function createArchive(
  dir: string,
  outPath: string,
  opts: CreateOptions = {},
): Promise<ArchiveSummary> {
  const root = resolve(dir);
  if (!(await stat(root)).isDirectory()) throw new ArchiveError(`${dir} is not a directory`);
  const excluded = new Set((opts.exclude ?? []).map((e) => e.replace(/\/+$/, "")));
  let dbRel: string | undefined;
  let work: string | undefined;
  const out = resolve(outPath);
  const outRel = toPosix(relative(root, out));
  try {
    let snapshotFile: string | undefined;
    if (opts.db) {
      dbRel = toPosix(relative(root, resolve(opts.db.path)));
      if (dbRel.startsWith("../") || dbRel === "..")
        throw new ArchiveError(`database ${opts.db.path} is not inside ${dir}`);
      work = await mkdtemp(join(tmpdir(), "mc-archive-"));
      snapshotFile = join(work, "db.snapshot");
      const db = opts.db.handle ?? openDatabase(opts.db.path, { readonly: true });
      try {
        await snapshot(db, snapshotFile, opts.logger ? { logger: opts.logger } : {});
      } finally {
        if (!opts.db.handle) db.close();
      }
    }
    const live = dbRel
      ? new Set([dbRel, `${dbRel}-wal`, `${dbRel}-shm`, `${dbRel}-journal`])
      : new Set<string>();
    const skip = (rel: string) =>
      live.has(rel) ||
      rel === outRel ||
      rel.startsWith(`${outRel}.partial`) ||
      [...excluded].some((e) => rel === e || rel.startsWith(`${e}/`));
    const sources = await walk(root, skip, opts.logger);
    if (dbRel && snapshotFile) {
      const st = await stat(snapshotFile);
      sources.push({
        entry: {
          name: dbRel,
          type: "file",
          mode: 0o600,
          size: st.size,
          mtime: Math.floor(Date.now() / 1000),
        },
        file: snapshotFile,
      });
    }
    const partial = `${out}.partial`;
    const z = compressTo(partial, opts.level);
    let bytes = 0;
    const feed = (async () => {
      for (const s of sources) {
        const h = encodeHeader(s.entry);
        await write(z.stdin, h);
        bytes += h.length;
        if (s.entry.type === "file") {
          await writeFileData(z.stdin, s);
          bytes += s.entry.size + padding(s.entry.size).length;
        }
      }
      await write(z.stdin, Buffer.alloc(BLOCK * 2));
      bytes += BLOCK * 2;
      z.stdin.end();
    })();
    try {
      await Promise.all([feed, z.done]);
    } catch (e) {
      z.stdin.destroy();
      await rm(partial, { force: true });
      throw e;
    }
    chmodBestEffort(partial, 0o600, opts.logger);
    await rename(partial, out);
    return { entries: sources.length, bytes };
  } finally {
    if (work) await rm(work, { recursive: true, force: true });
  }
}
