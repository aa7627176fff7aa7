// HPACK Huffman decoding (RFC 7541 §5.2, Appendix B). The code is canonical: codes are assigned in
// order of (length, symbol), so the table is rebuilt here from the code length of each of the 257
// symbols (0..255 and EOS), written as one character per symbol (char code − 48 = bit length).
const LENGTHS =
  "=GLLLLLLLHNLLNLLLLLLLLNLLLLLLLLL6::<=68;::8;8666555666666678?6<:=67777777777777777777777878=C=>6?56565666577666567655677777?;>=LDFDDFFFGFGGGGGHGHHFGHGGGGEFGFGGHFEDFFGGEGFFHEFGGEEFEGFGGDFFFGFFGJJDCFGFIJJJKKJHICEJKKJKHEEJJLKKKDHDEFEEGFFIIHHJGJKJJKKKKKLKKKKKJN";

const EOS = 256;
/** first[len]: the first code of that length; count[len]: how many; offset[len]: index in SYMS. */
const FIRST = new Int32Array(32);
const COUNT = new Int32Array(32);
const OFFSET = new Int32Array(32);
const SYMS = new Uint16Array(257);

export class HuffmanError extends Error {}

(function build() {
  const order: number[] = [];
  for (let s = 0; s < 257; s++) order.push(s);
  const len = (s: number) => LENGTHS.charCodeAt(s) - 48;
  order.sort((a, b) => len(a) - len(b) || a - b);
  let code = 0;
  let prev = len(order[0] as number);
  for (let i = 0; i < order.length; i++) {
    const s = order[i] as number;
    const l = len(s);
    if (i > 0) code = (code + 1) * 2 ** (l - prev);
    prev = l;
    if (COUNT[l] === 0) {
      FIRST[l] = code;
      OFFSET[l] = i;
    }
    COUNT[l] = (COUNT[l] as number) + 1;
    SYMS[i] = s;
  }
})();

/** Decodes `src[start, end)` into `out` from `pos`; returns the new position in `out`. */
export function huffmanDecode(src: Buffer, start: number, end: number, out: Buffer): number {
  let pos = 0;
  let code = 0;
  let len = 0;
  for (let i = start; i < end; i++) {
    const byte = src[i] as number;
    for (let k = 7; k >= 0; k--) {
      code = (code << 1) | ((byte >> k) & 1);
      len++;
      if (len < 5) continue;
      const d = code - (FIRST[len] as number);
      if (d >= 0 && d < (COUNT[len] as number)) {
        const sym = SYMS[(OFFSET[len] as number) + d] as number;
        if (sym === EOS) throw new HuffmanError("EOS symbol in Huffman string");
        if (pos >= out.length) throw new HuffmanError("Huffman string too long");
        out[pos++] = sym;
        code = 0;
        len = 0;
      } else if (len >= 30) throw new HuffmanError("invalid Huffman code");
    }
  }
  // Padding: fewer than 8 bits, all ones (the most significant bits of EOS).
  if (len > 7 || code !== (1 << len) - 1) throw new HuffmanError("invalid Huffman padding");
  return pos;
}

/** Encoded length in bytes of `s` (latin1) — used by tests and by the encoder's choice. */
export function huffmanLength(s: Buffer): number {
  let bits = 0;
  for (let i = 0; i < s.length; i++) bits += LENGTHS.charCodeAt(s[i] as number) - 48;
  return (bits + 7) >> 3;
}

/** Huffman-encodes `s` (for tests: a real encoder exercising the decoder on every symbol). */
export function huffmanEncode(s: Buffer): Buffer {
  const codes = new Map<number, number>();
  for (let l = 5; l <= 30; l++) {
    for (let j = 0; j < (COUNT[l] as number); j++) {
      codes.set(SYMS[(OFFSET[l] as number) + j] as number, (FIRST[l] as number) + j);
    }
  }
  const out = Buffer.alloc(huffmanLength(s));
  let acc = 0n;
  let n = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const sym = s[i] as number;
    const l = LENGTHS.charCodeAt(sym) - 48;
    acc = (acc << BigInt(l)) | BigInt(codes.get(sym) as number);
    n += l;
    while (n >= 8) {
      n -= 8;
      out[o++] = Number((acc >> BigInt(n)) & 0xffn);
    }
  }
  if (n > 0) out[o] = Number(((acc << BigInt(8 - n)) | ((1n << BigInt(8 - n)) - 1n)) & 0xffn);
  return out;
}
