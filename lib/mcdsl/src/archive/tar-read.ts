// Streaming tar reader: yields each entry's header and lets the caller consume its data in
// chunks before moving on. Only ustar/PAX regular files, directories and symlinks are accepted.
import type { Readable } from "node:stream";
import {
  ArchiveError,
  BLOCK,
  decodeHeader,
  type EntryType,
  isZeroBlock,
  parsePax,
  type TarEntry,
} from "./tar-format.ts";

class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  constructor(stream: Readable) {
    this.it = stream[Symbol.asyncIterator]();
  }
  /** Exactly n bytes, or fewer only at end of stream. */
  async read(n: number): Promise<Buffer> {
    if (this.buf.length < n) {
      // Gather first, copy once: concatenating per chunk was quadratic in small chunks.
      const parts = [this.buf];
      let have = this.buf.length;
      while (have < n) {
        const r = await this.it.next();
        if (r.done) break;
        parts.push(r.value);
        have += r.value.length;
      }
      this.buf = Buffer.concat(parts, have);
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(out.length);
    return out;
  }
  /** Up to `max` bytes of whatever is available (at least 1 unless at the end). */
  async chunk(max: number): Promise<Buffer> {
    if (this.buf.length === 0) {
      const r = await this.it.next();
      if (r.done) return Buffer.alloc(0);
      this.buf = r.value;
    }
    const out = this.buf.subarray(0, max);
    this.buf = this.buf.subarray(out.length);
    return out;
  }
}

/** PAX records only carry names and sizes here; real ones are well under a kilobyte. */
export const MAX_PAX_BYTES = 1 << 20;

const TYPES: Record<string, EntryType> = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "5": "directory",
  "2": "symlink",
};

export interface ReadEntry extends TarEntry {
  /** Streams the entry's data; must be drained (or skipped via next iteration) in order. */
  data(): AsyncGenerator<Buffer>;
}

async function readExact(r: ByteReader, n: number, what: string): Promise<Buffer> {
  const b = await r.read(n);
  if (b.length !== n) throw new ArchiveError(`truncated archive while reading ${what}`);
  return b;
}

export async function* readTar(stream: Readable): AsyncGenerator<ReadEntry> {
  const r = new ByteReader(stream);
  let pax: Record<string, string> = {};
  for (;;) {
    const block = await r.read(BLOCK);
    if (block.length === 0) throw new ArchiveError("truncated archive: no end-of-archive marker");
    if (block.length !== BLOCK) throw new ArchiveError("truncated archive header");
    if (isZeroBlock(block)) return;
    const h = decodeHeader(block);
    if (pax.size !== undefined && !/^\d{1,15}$/.test(pax.size)) {
      throw new ArchiveError(`corrupt PAX size "${pax.size}"`);
    }
    const size = pax.size !== undefined ? Number(pax.size) : h.size;
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (h.typeflag === "x" || h.typeflag === "g") {
      // Read into memory whole, so its size is capped before a byte of it is buffered.
      if (size > MAX_PAX_BYTES)
        throw new ArchiveError(`PAX header of ${size} bytes (limit ${MAX_PAX_BYTES})`);
      const data = await readExact(r, padded, "PAX header");
      if (h.typeflag === "x") pax = parsePax(data.subarray(0, size));
      continue;
    }
    const type = TYPES[h.typeflag];
    if (!type) {
      throw new ArchiveError(
        `entry "${h.name}": unsupported type "${h.typeflag}" (only files, directories, symlinks)`,
      );
    }
    const name = pax.path ?? h.name;
    const linkname = pax.linkpath ?? h.linkname;
    pax = {};
    let consumed = false;
    const entry: ReadEntry = {
      name,
      type,
      mode: h.mode,
      size: type === "file" ? size : 0,
      mtime: h.mtime,
      ...(type === "symlink" ? { linkname } : {}),
      async *data() {
        consumed = true;
        let left = size;
        while (left > 0) {
          const c = await r.chunk(Math.min(left, 1 << 16));
          if (c.length === 0) throw new ArchiveError(`truncated archive in "${name}"`);
          left -= c.length;
          yield c;
        }
        await readExact(r, padded - size, "padding");
      },
    };
    yield entry;
    if (!consumed) for await (const _ of entry.data());
  }
}
