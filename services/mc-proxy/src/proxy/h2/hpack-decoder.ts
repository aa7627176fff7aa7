// HPACK decoder (RFC 7541): integer and string literals (raw or Huffman), static and dynamic table
// references, literals with/without/never indexing, dynamic table size updates. Every malformed
// input raises HpackError, which the connection turns into COMPRESSION_ERROR.

import { STATIC_COUNT, STATIC_NAMES, STATIC_VALUES } from "./hpack-static.ts";
import { HuffmanError, huffmanDecode } from "./huffman.ts";

export class HpackError extends Error {}

/** Buffer#latin1Slice (untyped in @types/node): toString("latin1") without argument parsing. */
type Latin1 = { latin1Slice(start: number, end: number): string };
const latin1 = (b: Buffer, s: number, e: number): string =>
  (b as unknown as Latin1).latin1Slice(s, e);

/** Receives each decoded field; a false return stops nothing (decoding must stay in sync). */
export type FieldSink = (name: string, value: string) => void;

export class HpackDecoder {
  private names: string[] = [];
  private values: string[] = [];
  /** Ring buffer: newest entry at `head - 1`. */
  private head = 0;
  private count = 0;
  private size = 0;
  private maxSize: number;
  private scratch = Buffer.allocUnsafe(4096);
  /** Read position in the block being decoded. */
  private p = 0;

  /** `limit`: the SETTINGS_HEADER_TABLE_SIZE this endpoint advertised. */
  constructor(private readonly limit: number) {
    this.maxSize = limit;
  }

  decode(block: Buffer, sink: FieldSink): void {
    this.p = 0;
    const end = block.length;
    let fieldsSeen = false;
    while (this.p < end) {
      const b = block[this.p] as number;
      if (b & 0x80) {
        const idx = this.int(block, 7);
        if (idx === 0) throw new HpackError("index 0");
        sink(this.nameAt(idx), this.valueAt(idx));
        fieldsSeen = true;
      } else if ((b & 0xe0) === 0x20) {
        if (fieldsSeen) throw new HpackError("table size update after a field");
        const n = this.int(block, 5);
        if (n > this.limit) throw new HpackError("table size update above the limit");
        this.maxSize = n;
        this.evict(0);
      } else {
        const indexing = (b & 0xc0) === 0x40;
        const idx = this.int(block, indexing ? 6 : 4);
        const name = idx === 0 ? this.readString(block) : this.nameAt(idx);
        const value = this.readString(block);
        if (indexing) this.insert(name, value);
        sink(name, value);
        fieldsSeen = true;
      }
    }
  }

  /** Reads a prefix integer at this.p (fast path for the one-octet case). */
  private int(b: Buffer, prefix: number): number {
    const mask = (1 << prefix) - 1;
    const v = (b[this.p] as number) & mask;
    if (v < mask) {
      this.p++;
      return v;
    }
    const [n, q] = readInt(b, this.p, prefix);
    this.p = q;
    return n;
  }

  private nameAt(i: number): string {
    if (i <= STATIC_COUNT) return STATIC_NAMES[i] as string;
    return this.names[this.slot(i)] as string;
  }

  private valueAt(i: number): string {
    if (i <= STATIC_COUNT) return STATIC_VALUES[i] as string;
    return this.values[this.slot(i)] as string;
  }

  private slot(i: number): number {
    const k = i - STATIC_COUNT - 1;
    if (k >= this.count) throw new HpackError(`index ${i} beyond the tables`);
    const cap = this.names.length;
    return (this.head - 1 - k + cap) % cap;
  }

  private readString(b: Buffer): string {
    if (this.p >= b.length) throw new HpackError("truncated string");
    const huff = ((b[this.p] as number) & 0x80) !== 0;
    const len = this.int(b, 7);
    const q = this.p;
    const end = q + len;
    if (end > b.length) throw new HpackError("string beyond the block");
    this.p = end;
    if (!huff) return latin1(b, q, end);
    // Huffman never shrinks a symbol below 5 bits: 8/5 of the input bounds the output.
    const need = Math.ceil((len * 8) / 5);
    if (this.scratch.length < need) this.scratch = Buffer.allocUnsafe(need);
    try {
      const n = huffmanDecode(b, q, end, this.scratch);
      return latin1(this.scratch, 0, n);
    } catch (e) {
      if (e instanceof HuffmanError) throw new HpackError(e.message);
      throw e;
    }
  }

  private insert(name: string, value: string): void {
    const sz = name.length + value.length + 32;
    if (sz > this.maxSize) {
      this.evict(this.maxSize); // an entry larger than the table empties it (§4.4)
      return;
    }
    this.evict(sz);
    if (this.count === this.names.length) this.grow();
    const cap = this.names.length;
    this.names[this.head] = name;
    this.values[this.head] = value;
    this.head = (this.head + 1) % cap;
    this.count++;
    this.size += sz;
  }

  /** Evicts the oldest entries until `room` more octets fit. */
  private evict(room: number): void {
    const cap = this.names.length;
    while (this.count > 0 && this.size + room > this.maxSize) {
      const oldest = (this.head - this.count + cap) % cap;
      this.size -=
        (this.names[oldest] as string).length + (this.values[oldest] as string).length + 32;
      this.count--;
    }
  }

  private grow(): void {
    const cap = this.names.length;
    const names: string[] = [];
    const values: string[] = [];
    for (let k = this.count - 1; k >= 0; k--) {
      const s = (this.head - 1 - k + cap) % cap;
      names.push(this.names[s] as string);
      values.push(this.values[s] as string);
    }
    const more = Math.max(16, cap);
    for (let i = 0; i < more; i++) {
      names.push("");
      values.push("");
    }
    this.names = names;
    this.values = values;
    this.head = this.count;
  }

  /** Current dynamic table size in octets (tests). */
  get tableSize(): number {
    return this.size;
  }
}

/** RFC 7541 §5.1 prefix integer at `p` with an N-bit prefix: [value, next position]. */
export function readInt(b: Buffer, p: number, prefix: number): [number, number] {
  if (p >= b.length) throw new HpackError("truncated integer");
  const mask = (1 << prefix) - 1;
  let v = (b[p] as number) & mask;
  p++;
  if (v < mask) return [v, p];
  let shift = 0;
  for (;;) {
    if (p >= b.length) throw new HpackError("truncated integer");
    const c = b[p++] as number;
    v += (c & 0x7f) * 2 ** shift;
    shift += 7;
    if ((c & 0x80) === 0) break;
    if (shift > 28) throw new HpackError("integer too large");
  }
  if (v > 0x7fffffff) throw new HpackError("integer too large");
  return [v, p];
}
