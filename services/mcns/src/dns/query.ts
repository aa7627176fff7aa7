// Hot-path query parsing: header, the single question (no compression allowed there), and an
// OPT record in the additional section. Produces the answer-cache key without building strings
// for every label.

import { RR } from "./constants.ts";
import { DnsFormatError } from "./errors.ts";
import { readName } from "./reader.ts";

export interface IncomingQuery {
  id: number;
  flags: number;
  opcode: number;
  qdcount: number;
  /** Offset just past the question name (qtype follows). */
  qnameEnd: number;
  /** Offset just past the question (qtype and qclass). */
  questionEnd: number;
  /** Lowercased wire form of the question name, latin1-decoded: the cache key part. */
  keyName: string;
  qtype: number;
  qclass: number;
  /** Present when the query carried OPT. */
  edns: { udpSize: number; version: number; dnssecOk: boolean } | undefined;
}

const NON_ASCII = /[\u0080-\u00ff]/;

/** Parses a query. Throws DnsFormatError for malformed input (callers answer FORMERR). */
export function parseQuery(buf: Buffer): IncomingQuery {
  const len = buf.length;
  if (len < 12) throw new DnsFormatError("truncated", "short header");
  const id = (buf[0]! << 8) | buf[1]!;
  const flags = (buf[2]! << 8) | buf[3]!;
  const qdcount = (buf[4]! << 8) | buf[5]!;
  const ancount = (buf[6]! << 8) | buf[7]!;
  const nscount = (buf[8]! << 8) | buf[9]!;
  const arcount = (buf[10]! << 8) | buf[11]!;
  const opcode = (flags >> 11) & 0xf;
  if (qdcount !== 1) {
    return {
      id,
      flags,
      opcode,
      qdcount,
      qnameEnd: 12,
      questionEnd: 12,
      keyName: "",
      qtype: 0,
      qclass: 0,
      edns: undefined,
    };
  }
  let p = 12;
  let total = 1;
  for (;;) {
    if (p >= len) throw new DnsFormatError("truncated", "question name runs past the message");
    const l = buf[p]!;
    if (l === 0) break;
    if (l > 63) throw new DnsFormatError("bad_label", "compressed or invalid question name");
    total += l + 1;
    if (total > 255) throw new DnsFormatError("bad_name", "question name too long");
    p += l + 1;
  }
  const qnameEnd = p + 1;
  if (qnameEnd + 4 > len) throw new DnsFormatError("truncated", "question truncated");
  let keyName = buf.toString("latin1", 12, qnameEnd);
  keyName = NON_ASCII.test(keyName) ? asciiLower(buf, 12, qnameEnd) : keyName.toLowerCase();
  const qtype = (buf[qnameEnd]! << 8) | buf[qnameEnd + 1]!;
  const qclass = (buf[qnameEnd + 2]! << 8) | buf[qnameEnd + 3]!;
  const questionEnd = qnameEnd + 4;
  let edns: IncomingQuery["edns"];
  if (arcount > 0) {
    p = questionEnd;
    const skip = ancount + nscount;
    for (let i = 0; i < skip + arcount; i++) {
      const n = readName(buf, p);
      p = n.next;
      if (p + 10 > len) throw new DnsFormatError("truncated", "record truncated");
      const type = (buf[p]! << 8) | buf[p + 1]!;
      const klass = (buf[p + 2]! << 8) | buf[p + 3]!;
      const ttl = buf.readUInt32BE(p + 4);
      const rdlen = (buf[p + 8]! << 8) | buf[p + 9]!;
      p += 10 + rdlen;
      if (p > len) throw new DnsFormatError("truncated", "rdata truncated");
      if (i >= skip && type === RR.OPT) {
        if (edns) throw new DnsFormatError("bad_opt", "more than one OPT record");
        if (n.name !== ".") throw new DnsFormatError("bad_opt", "OPT owner must be the root");
        edns = { udpSize: klass, version: (ttl >>> 16) & 0xff, dnssecOk: (ttl & 0x8000) !== 0 };
      }
    }
  }
  return {
    id,
    flags,
    opcode,
    qdcount,
    qnameEnd,
    questionEnd,
    keyName,
    qtype,
    qclass,
    edns,
  };
}

function asciiLower(buf: Buffer, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    s += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
  }
  return s;
}

/** Presentation form of the (already validated) question name. */
export function questionName(buf: Buffer): string {
  return readName(buf, 12).name;
}
