// A minimal HTTP/2 client-side wire kit for tests of the lean front end: frame builders, a plain
// HPACK literal encoder, a frame splitter for the server's output and an in-memory socket.
import { Duplex } from "node:stream";

export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export interface Frame {
  type: number;
  flags: number;
  id: number;
  payload: Buffer;
}

export function frame(
  type: number,
  flags: number,
  id: number,
  payload: Buffer = Buffer.alloc(0),
): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(id, 5);
  return Buffer.concat([h, payload]);
}

export function settings(pairs: [number, number][] = [], ack = false): Buffer {
  const p = Buffer.alloc(pairs.length * 6);
  pairs.forEach(([k, v], i) => {
    p.writeUInt16BE(k, i * 6);
    p.writeUInt32BE(v, i * 6 + 2);
  });
  return frame(4, ack ? 1 : 0, 0, p);
}

export function u32(type: number, id: number, v: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(v);
  return frame(type, 0, id, p);
}

export const rst = (id: number, code: number) => u32(3, id, code);
export const windowUpdate = (id: number, inc: number) => u32(8, id, inc);

/** HPACK block of literal-without-indexing fields (new names, no Huffman). */
export function literalBlock(fields: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  const str = (s: string) => {
    const b = Buffer.from(s, "latin1");
    if (b.length >= 127) {
      let v = b.length - 127;
      const ext: number[] = [];
      while (v >= 128) {
        ext.push((v & 0x7f) | 0x80);
        v >>= 7;
      }
      ext.push(v);
      parts.push(Buffer.from([127, ...ext]), b);
    } else parts.push(Buffer.from([b.length]), b);
  };
  for (const [n, v] of fields) {
    parts.push(Buffer.from([0]));
    str(n);
    str(v);
  }
  return Buffer.concat(parts);
}

export function request(
  id: number,
  extra: [string, string][] = [],
  endStream = true,
  method = "GET",
): Buffer {
  const block = literalBlock([
    [":method", method],
    [":scheme", "https"],
    [":path", "/"],
    [":authority", "test.example"],
    ...extra,
  ]);
  return frame(1, 0x4 | (endStream ? 1 : 0), id, block);
}

export function parseFrames(b: Buffer): Frame[] {
  const out: Frame[] = [];
  let p = 0;
  while (b.length - p >= 9) {
    const len = b.readUIntBE(p, 3);
    if (b.length - p < 9 + len) break;
    out.push({
      type: b[p + 3] as number,
      flags: b[p + 4] as number,
      id: b.readUInt32BE(p + 5) & 0x7fffffff,
      payload: b.subarray(p + 9, p + 9 + len),
    });
    p += 9 + len;
  }
  return out;
}

/** An in-memory socket: `feed` delivers client bytes synchronously, writes are collected. */
export class MemSock extends Duplex {
  readonly written: Buffer[] = [];
  ended = false;

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.written.push(chunk);
    cb();
  }

  override _final(cb: () => void): void {
    this.ended = true;
    cb();
  }

  feed(...bufs: Buffer[]): void {
    for (const b of bufs) this.emit("data", b);
  }

  /** Frames written so far (and forgets them). */
  sent(): Frame[] {
    const all = Buffer.concat(this.written);
    this.written.length = 0;
    return parseFrames(all);
  }

  get bytesOut(): number {
    let n = 0;
    for (const b of this.written) n += b.length;
    return n;
  }
}
