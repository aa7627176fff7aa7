// Turns a cached response (ID 0, lowercase question) into the response for one query: copies ID,
// RD, the question bytes exactly as asked (case, type and class), appends OPT when the query
// had EDNS, and truncates (TC, empty sections) when it does not fit the client's limit.

import type { IncomingQuery } from "../dns/query.ts";

export const OPT_LEN = 11;

export function patchResponse(
  cached: Buffer,
  q: IncomingQuery,
  query: Buffer,
  limit: number,
  ednsSize: number,
): Buffer {
  const extra = q.edns ? OPT_LEN : 0;
  let out: Buffer;
  if (cached.length + extra <= limit) {
    out = Buffer.allocUnsafe(cached.length + extra);
    cached.copy(out, 0, 0, cached.length);
  } else {
    out = Buffer.allocUnsafe(q.questionEnd + extra);
    cached.copy(out, 0, 0, q.questionEnd);
    out[2] = out[2]! | 0x02; // TC
    out.fill(0, 6, 12);
  }
  out[0] = query[0]!;
  out[1] = query[1]!;
  out[2] = out[2]! | (query[2]! & 0x01); // RD; CD is not copied (no DNSSEC here; NSD and Knot clear it too)
  query.copy(out, 12, 12, q.questionEnd); // the client's own question: case, type and class
  if (q.edns) {
    const p = out.length - OPT_LEN;
    out[p] = 0;
    out.writeUInt16BE(41, p + 1);
    out.writeUInt16BE(ednsSize, p + 3);
    out.writeUInt32BE(q.edns.dnssecOk ? 0x8000 : 0, p + 5);
    out.writeUInt16BE(0, p + 9);
    out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
  }
  return out;
}

/** Header-only (plus question when parsable) error response. */
export function errorResponse(query: Buffer, rcode: number, questionEnd: number): Buffer {
  const end = questionEnd >= 12 && questionEnd <= query.length ? questionEnd : 12;
  const out = Buffer.alloc(end);
  query.copy(out, 0, 0, end);
  out[2] = 0x80 | (query[2]! & 0x79); // QR, keep opcode and RD
  out[3] = rcode & 0xf;
  out.writeUInt16BE(end > 12 ? 1 : 0, 4);
  out.fill(0, 6, 12);
  return out;
}
