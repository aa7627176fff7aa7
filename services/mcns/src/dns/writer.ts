// Growable wire writer with RFC 1035 §4.1.4 name compression (case-insensitive suffix matching,
// so the case of the first occurrence is what the reader sees).

import { nameToLabels } from "./name.ts";

export class WireWriter {
  buf: Buffer;
  pos = 0;
  private readonly comp = new Map<string, number>();

  constructor(size = 512) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const nb = Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v & 0xffff, this.pos);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** Overwrites a u16 already written at `at`. */
  setU16(at: number, v: number): void {
    this.buf.writeUInt16BE(v & 0xffff, at);
  }

  /** Registers the name whose labels start at `offset` as a compression target. */
  private remember(labels: Buffer[], i: number, offset: number): void {
    if (offset > 0x3fff) return;
    const key = suffixKey(labels, i);
    if (!this.comp.has(key)) this.comp.set(key, offset);
  }

  /** Writes a name; compresses against earlier names when `compress` is true. */
  name(name: string | Buffer[], compress = true): void {
    const labels = typeof name === "string" ? nameToLabels(name) : name;
    for (let i = 0; i < labels.length; i++) {
      if (compress) {
        const ptr = this.comp.get(suffixKey(labels, i));
        if (ptr !== undefined) {
          this.u16(0xc000 | ptr);
          return;
        }
      }
      this.remember(labels, i, this.pos);
      const l = labels[i]!;
      this.u8(l.length);
      this.bytes(l);
    }
    this.u8(0);
  }

  /** Declares that a name (given as labels) was written at `offset` by someone else. */
  noteName(labels: Buffer[], offset: number): void {
    let off = offset;
    for (let i = 0; i < labels.length; i++) {
      this.remember(labels, i, off);
      off += labels[i]!.length + 1;
    }
  }

  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

function suffixKey(labels: Buffer[], from: number): string {
  let k = "";
  for (let i = from; i < labels.length; i++)
    k += `${labels[i]!.toString("latin1").toLowerCase()}\u0000`;
  return k;
}
