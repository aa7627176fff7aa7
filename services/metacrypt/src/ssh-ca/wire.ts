// arch: parser
// The SSH binary encoding (RFC 4251 section 5): uint32, uint64, string, mpint, name-list.
// WireWriter builds certificates, KRLs and key blobs; WireReader takes apart key blobs a client
// sends, refusing anything truncated or oversized with a stable code.
import { AppError } from "@metacircular/mcdsl/errors";

/** Longest string field accepted from input (a 16384-bit RSA modulus is ~2 KiB). */
const MAX_STRING = 64 * 1024;

export class WireWriter {
  private readonly parts: Buffer[] = [];

  byte(n: number): this {
    this.parts.push(Buffer.from([n & 0xff]));
    return this;
  }

  uint32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    this.parts.push(b);
    return this;
  }

  uint64(n: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt.asUintN(64, n));
    this.parts.push(b);
    return this;
  }

  /** A length-prefixed byte string (or UTF-8 text). */
  string(v: Buffer | string): this {
    const b = typeof v === "string" ? Buffer.from(v, "utf8") : v;
    this.uint32(b.length);
    this.parts.push(b);
    return this;
  }

  /** A non-negative multiple-precision integer given as unsigned big-endian bytes. */
  mpint(unsigned: Buffer): this {
    let i = 0;
    while (i < unsigned.length && unsigned[i] === 0) i++;
    let mag = unsigned.subarray(i);
    if (mag.length > 0 && (mag[0] as number) & 0x80) mag = Buffer.concat([Buffer.from([0]), mag]);
    return this.string(mag);
  }

  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function malformed(what: string): AppError {
  return AppError.badRequest("malformed_key", `malformed SSH data: ${what}`);
}

export class WireReader {
  private off = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.off;
  }

  private take(n: number, what: string): Buffer {
    if (n > this.remaining) throw malformed(`${what} is truncated`);
    const out = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return out;
  }

  uint32(what = "uint32"): number {
    return this.take(4, what).readUInt32BE(0);
  }

  uint64(what = "uint64"): bigint {
    return this.take(8, what).readBigUInt64BE(0);
  }

  string(what = "string"): Buffer {
    const n = this.uint32(`${what} length`);
    if (n > MAX_STRING) throw malformed(`${what} is too long`);
    return this.take(n, what);
  }

  /** A string that must be printable ASCII (key type names, curve names). */
  text(what = "name"): string {
    const b = this.string(what);
    for (const c of b) if (c < 0x20 || c > 0x7e) throw malformed(`${what} is not printable`);
    return b.toString("latin1");
  }

  /** A non-negative mpint as unsigned big-endian bytes without leading zeros. */
  mpint(what = "mpint"): Buffer {
    const b = this.string(what);
    if (b.length > 0 && (b[0] as number) & 0x80) throw malformed(`${what} is negative`);
    if (b.length > 1 && b[0] === 0 && !((b[1] as number) & 0x80)) {
      throw malformed(`${what} has a needless leading zero`);
    }
    return b[0] === 0 ? b.subarray(1) : b;
  }

  /** Refuse trailing bytes after the last field. */
  end(what: string): void {
    if (this.remaining !== 0) throw malformed(`${what} has ${this.remaining} trailing bytes`);
  }
}
