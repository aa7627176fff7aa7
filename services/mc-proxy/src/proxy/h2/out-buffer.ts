// Output gathering for one connection: small frames and small payloads are copied into a chunk,
// large payloads are kept by reference, and `take` returns everything as one Buffer for a single
// socket write. Bytes handed out are never overwritten (a pending write may still read them).
import { FRAME_HEAD, writeHead } from "./frame-out.ts";

const CHUNK = 8 * 1024;
/** Payloads up to this size are copied; larger ones are referenced. */
const COPY_MAX = 1024;
const EMPTY = Buffer.alloc(0);

export class OutBuffer {
  private cur: Buffer = EMPTY;
  /** Start of the region not yet sealed into `parts`, and the write position, in `cur`. */
  private start = 0;
  private len = 0;
  private parts: Buffer[] = [];
  private total = 0;

  get size(): number {
    return this.total + this.len - this.start;
  }

  head(len: number, type: number, flags: number, id: number): void {
    this.reserve(FRAME_HEAD);
    writeHead(this.cur, this.len, len, type, flags, id);
    this.len += FRAME_HEAD;
  }

  /** Appends `b[s, e)`: copied when small or when `copy` (the caller reuses `b`). */
  bytes(b: Buffer, s: number, e: number, copy: boolean): void {
    const n = e - s;
    if (n === 0) return;
    if (copy || n <= COPY_MAX) {
      this.reserve(n);
      b.copy(this.cur, this.len, s, e);
      this.len += n;
      return;
    }
    this.seal();
    this.parts.push(s === 0 && e === b.length ? b : b.subarray(s, e));
    this.total += n;
  }

  /** Everything appended since the last take, as one Buffer (null when nothing). */
  take(): Buffer | null {
    this.seal();
    if (this.parts.length === 0) return null;
    const b =
      this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.total);
    this.parts = [];
    this.total = 0;
    // A nearly used chunk is dropped rather than kept by an idle connection.
    if (this.cur.length - this.len < COPY_MAX) {
      this.cur = EMPTY;
      this.start = 0;
      this.len = 0;
    }
    return b;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.cur.length) return;
    this.seal();
    this.cur = Buffer.allocUnsafe(Math.max(CHUNK, n));
    this.start = 0;
    this.len = 0;
  }

  private seal(): void {
    if (this.len === this.start) return;
    this.parts.push(this.cur.subarray(this.start, this.len));
    this.total += this.len - this.start;
    this.start = this.len;
  }
}
