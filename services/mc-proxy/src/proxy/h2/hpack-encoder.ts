// HPACK encoder for response headers and trailers: static-table references for exact pairs,
// static name references otherwise, literals without indexing, no Huffman. No dynamic table is
// used, so a table-size change from the client is answered with a size update to 0.
import { CONNECTION_SPECIFIC } from "./constants.ts";
import { FRAME_HEAD } from "./frame-out.ts";
import { STATIC_LOOKUP } from "./hpack-static.ts";

/** Buffer#latin1Write (untyped in @types/node): write(s, at, n, "latin1") without argument parsing. */
type Latin1 = { latin1Write(s: string, at: number, n: number): number };

export type HeaderValue = string | number | readonly string[] | undefined;
export type OutHeaders = Record<string, HeaderValue>;

const STATUS_INDEX: Record<number, number> = {
  200: 8,
  204: 9,
  206: 10,
  304: 11,
  400: 12,
  404: 13,
  500: 14,
};

export class HpackEncoder {
  private buf = Buffer.allocUnsafe(4096);
  private p = 0;
  /** Set when the peer changed SETTINGS_HEADER_TABLE_SIZE: emit a size update to 0 once. */
  sizeUpdatePending = false;

  /**
   * Encodes `:status` (when given) then the regular fields into a fresh Buffer whose first
   * FRAME_HEAD bytes are left free for the HEADERS frame header (the block follows them).
   */
  encode(headers: OutHeaders, status?: number): Buffer {
    return Buffer.from(this.encodeRaw(headers, status));
  }

  /** As encode, but a view of the encoder's own buffer: valid until the next call. */
  encodeRaw(headers: OutHeaders, status?: number): Buffer {
    this.start(status);
    for (const k in headers) {
      const v = headers[k];
      if (v === undefined || k.charCodeAt(0) === 58) continue;
      const name = k.toLowerCase();
      if (CONNECTION_SPECIFIC.has(name)) continue;
      if (Array.isArray(v)) for (const one of v) this.field(name, one);
      else this.field(name, String(v));
    }
    return this.buf.subarray(0, this.p);
  }

  /**
   * As encodeRaw, for `:status` and the first `n` fields of a list whose names are already
   * lower-case, not connection-specific and not repeated (the caller checked).
   */
  encodeList(status: number, names: string[], values: string[], n: number): Buffer {
    this.start(status);
    for (let i = 0; i < n; i++) this.field(names[i] as string, values[i] as string);
    return this.buf.subarray(0, this.p);
  }

  private start(status: number | undefined): void {
    this.p = FRAME_HEAD;
    if (this.sizeUpdatePending) {
      this.sizeUpdatePending = false;
      this.ensure(1);
      this.buf[this.p++] = 0x20;
    }
    if (status !== undefined) {
      const idx = STATUS_INDEX[status];
      if (idx !== undefined) {
        this.ensure(1);
        this.buf[this.p++] = 0x80 | idx;
      } else this.literal(8, String(status));
    }
  }

  private field(name: string, value: string): void {
    const st = STATIC_LOOKUP.get(name);
    if (st !== undefined) {
      const pair = st.pairs?.get(value);
      if (pair !== undefined) {
        this.ensure(1);
        this.buf[this.p++] = 0x80 | pair;
        return;
      }
      this.literal(st.index, value);
    } else {
      this.ensure(1);
      this.buf[this.p++] = 0;
      this.string(name);
      this.string(value);
    }
  }

  /** Literal without indexing, indexed name (4-bit prefix). */
  private literal(nameIndex: number, value: string): void {
    this.int(nameIndex, 4, 0);
    this.string(value);
  }

  private string(s: string): void {
    const n = s.length; // one octet per character (latin1)
    this.int(n, 7, 0);
    this.ensure(n);
    this.p += (this.buf as unknown as Latin1).latin1Write(s, this.p, n);
  }

  private int(v: number, prefix: number, high: number): void {
    this.ensure(6);
    const max = (1 << prefix) - 1;
    if (v < max) {
      this.buf[this.p++] = high | v;
      return;
    }
    this.buf[this.p++] = high | max;
    v -= max;
    while (v >= 128) {
      this.buf[this.p++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.p++] = v;
  }

  private ensure(n: number): void {
    if (this.p + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.p + n + 1024));
    this.buf.copy(next, 0, 0, this.p);
    this.buf = next;
  }
}
