// Serialising the frames the server sends: 9-octet frame headers, control frames and the
// splitting of a header block into HEADERS + CONTINUATION frames.
import { FLAG, FRAME } from "./constants.ts";

export const FRAME_HEAD = 9;

export function writeHead(
  b: Buffer,
  at: number,
  len: number,
  type: number,
  flags: number,
  id: number,
): void {
  b[at] = len >>> 16;
  b[at + 1] = (len >>> 8) & 0xff;
  b[at + 2] = len & 0xff;
  b[at + 3] = type;
  b[at + 4] = flags;
  b.writeUInt32BE(id, at + 5);
}

export function frameHead(len: number, type: number, flags: number, id: number): Buffer {
  const b = Buffer.allocUnsafe(FRAME_HEAD);
  writeHead(b, 0, len, type, flags, id);
  return b;
}

/** A frame with a 4-octet payload (RST_STREAM, WINDOW_UPDATE). */
export function u32Frame(type: number, id: number, value: number): Buffer {
  const b = Buffer.allocUnsafe(FRAME_HEAD + 4);
  writeHead(b, 0, 4, type, 0, id);
  b.writeUInt32BE(value, FRAME_HEAD);
  return b;
}

export function settingsFrame(pairs: readonly (readonly [number, number])[]): Buffer {
  const b = Buffer.allocUnsafe(FRAME_HEAD + pairs.length * 6);
  writeHead(b, 0, pairs.length * 6, FRAME.SETTINGS, 0, 0);
  let o = FRAME_HEAD;
  for (const [id, v] of pairs) {
    b.writeUInt16BE(id, o);
    b.writeUInt32BE(v, o + 2);
    o += 6;
  }
  return b;
}

export const SETTINGS_ACK = frameHead(0, FRAME.SETTINGS, FLAG.ACK, 0);

export function pingAck(payload: Buffer): Buffer {
  const b = Buffer.allocUnsafe(FRAME_HEAD + 8);
  writeHead(b, 0, 8, FRAME.PING, FLAG.ACK, 0);
  payload.copy(b, FRAME_HEAD, 0, 8);
  return b;
}

export function goawayFrame(lastId: number, code: number): Buffer {
  const b = Buffer.allocUnsafe(FRAME_HEAD + 8);
  writeHead(b, 0, 8, FRAME.GOAWAY, 0, 0);
  b.writeUInt32BE(lastId, FRAME_HEAD);
  b.writeUInt32BE(code, FRAME_HEAD + 4);
  return b;
}

/**
 * `block` holds a header block after FRAME_HEAD free octets (HpackEncoder.encode). Returns the
 * frames: one HEADERS when it fits `maxFrame`, else HEADERS + CONTINUATION frames.
 */
export function headerFrames(
  block: Buffer,
  id: number,
  endStream: boolean,
  maxFrame: number,
): Buffer[] {
  const len = block.length - FRAME_HEAD;
  const es = endStream ? FLAG.END_STREAM : 0;
  if (len <= maxFrame) {
    writeHead(block, 0, len, FRAME.HEADERS, es | FLAG.END_HEADERS, id);
    return [block];
  }
  const out: Buffer[] = [];
  let o = FRAME_HEAD;
  let first = true;
  while (o < block.length) {
    const n = Math.min(maxFrame, block.length - o);
    const last = o + n >= block.length;
    const type = first ? FRAME.HEADERS : FRAME.CONTINUATION;
    const flags = (first ? es : 0) | (last ? FLAG.END_HEADERS : 0);
    out.push(frameHead(n, type, flags, id), block.subarray(o, o + n));
    o += n;
    first = false;
  }
  return out;
}
