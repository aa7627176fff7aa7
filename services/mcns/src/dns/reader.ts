// Bounds-checked wire reader. Every read past the end or malformed name throws DnsFormatError,
// which the server turns into FORMERR (or silence) instead of crashing.

import { DnsFormatError } from "./errors.ts";
import { labelToText } from "./name.ts";

export class WireReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  need(n: number): void {
    if (this.pos + n > this.end) throw new DnsFormatError("truncated", "message truncated");
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** Reads a possibly compressed name; returns presentation form (case as on the wire). */
  name(): string {
    const r = readName(this.buf, this.pos, this.end);
    this.pos = r.next;
    return r.name;
  }
}

/** Decodes a name at `start`; follows pointers (strictly backwards, bounded) and checks lengths. */
export function readName(
  buf: Buffer,
  start: number,
  end = buf.length,
): { name: string; next: number; wireLen: number } {
  let pos = start;
  let next = -1;
  let text = "";
  let wireLen = 1;
  let hops = 0;
  let limit = start; // pointers must go strictly backwards
  for (;;) {
    if (pos >= end) throw new DnsFormatError("truncated", "name runs past the message");
    const len = buf[pos]!;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= end) throw new DnsFormatError("truncated", "pointer runs past the message");
      const target = ((len & 0x3f) << 8) | buf[pos + 1]!;
      if (next < 0) next = pos + 2;
      if (target >= limit || ++hops > 64)
        throw new DnsFormatError("bad_pointer", "compression pointer loop or forward pointer");
      limit = target;
      pos = target;
      continue;
    }
    if (kind !== 0) throw new DnsFormatError("bad_label", "unsupported label type");
    if (pos + 1 + len > end) throw new DnsFormatError("truncated", "label runs past the message");
    wireLen += len + 1;
    if (wireLen > 255) throw new DnsFormatError("bad_name", "name longer than 255 octets");
    text += `${labelToText(buf, pos + 1, len)}.`;
    pos += 1 + len;
  }
  return { name: text === "" ? "." : text, next, wireLen };
}
