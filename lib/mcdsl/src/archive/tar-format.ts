// The ustar header (POSIX.1-1988) plus PAX extended records for names over 100 bytes — the
// subset needed to archive a service directory: regular files, directories, symlinks.

export const BLOCK = 512;

export type EntryType = "file" | "directory" | "symlink";

export interface TarEntry {
  name: string;
  type: EntryType;
  mode: number;
  size: number;
  mtime: number; // seconds
  linkname?: string;
}

export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArchiveError";
  }
}

const TYPEFLAG: Record<EntryType, string> = { file: "0", directory: "5", symlink: "2" };

function writeString(buf: Buffer, off: number, len: number, s: string): void {
  buf.write(s, off, Math.min(len, Buffer.byteLength(s)), "utf8");
}

function writeOctal(buf: Buffer, off: number, len: number, n: number): void {
  writeString(buf, off, len, `${n.toString(8).padStart(len - 1, "0")}\0`);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + Buffer.byteLength(body) !== len)
    len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function header(e: TarEntry, name: string, linkname: string, typeflag: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, e.mode & 0o7777);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, e.size);
  writeOctal(h, 136, 12, Math.max(0, Math.floor(e.mtime)));
  h.fill(0x20, 148, 156);
  h.write(typeflag, 156, 1, "ascii");
  writeString(h, 157, 100, linkname);
  h.write("ustar\u000000", 257, 8, "ascii");
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

const MAX_USTAR_SIZE = 8 ** 11 - 1;

/** Header block(s) for an entry: a PAX "x" header first when a name or size does not fit. */
export function encodeHeader(e: TarEntry): Buffer {
  const name = e.type === "directory" && !e.name.endsWith("/") ? `${e.name}/` : e.name;
  const link = e.linkname ?? "";
  let pax = "";
  if (Buffer.byteLength(name) > 100) pax += paxRecord("path", name);
  if (Buffer.byteLength(link) > 100) pax += paxRecord("linkpath", link);
  if (e.size > MAX_USTAR_SIZE) pax += paxRecord("size", String(e.size));
  const main = header(
    { ...e, size: e.size > MAX_USTAR_SIZE ? 0 : e.size },
    pax.includes(" path=") ? name.slice(-99) : name,
    pax.includes(" linkpath=") ? "" : link,
    TYPEFLAG[e.type],
  );
  if (!pax) return main;
  const data = Buffer.from(pax);
  const xh = header(
    { name: "PaxHeader", type: "file", mode: 0o644, size: data.length, mtime: e.mtime },
    "PaxHeader",
    "",
    "x",
  );
  return Buffer.concat([xh, data, padding(data.length), main]);
}

export function padding(size: number): Buffer {
  const rem = size % BLOCK;
  return Buffer.alloc(rem === 0 ? 0 : BLOCK - rem);
}

function readString(buf: Buffer, off: number, len: number): string {
  const slice = buf.subarray(off, off + len);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? len : nul).toString("utf8");
}

function readOctal(buf: Buffer, off: number, len: number, field: string): number {
  const s = readString(buf, off, len).trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new ArchiveError(`corrupt tar header: ${field} "${s}"`);
  return Number.parseInt(s, 8);
}

export interface RawHeader {
  name: string;
  mode: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
}

export function isZeroBlock(b: Buffer): boolean {
  for (const x of b) if (x !== 0) return false;
  return true;
}

export function decodeHeader(h: Buffer): RawHeader {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  if (readOctal(h, 148, 8, "checksum") !== sum)
    throw new ArchiveError("corrupt tar header: bad checksum");
  const prefix = readString(h, 345, 155);
  const name = readString(h, 0, 100);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    mode: readOctal(h, 100, 8, "mode"),
    size: readOctal(h, 124, 12, "size"),
    mtime: readOctal(h, 136, 12, "mtime"),
    typeflag: String.fromCharCode(h[156] || 0x30),
    linkname: readString(h, 157, 100),
  };
}

export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp < 0) break;
    const len = Number(data.subarray(off, sp).toString());
    if (!Number.isInteger(len) || len <= 0 || off + len > data.length)
      throw new ArchiveError("corrupt PAX header");
    const rec = data.subarray(sp + 1, off + len - 1).toString("utf8");
    const eq = rec.indexOf("=");
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    off += len;
  }
  return out;
}
