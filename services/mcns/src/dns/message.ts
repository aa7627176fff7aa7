// Whole-message parse and build. The server's hot path uses query.ts instead; this module is for
// building cached answers, reading upstream responses and tests.

import { CLASS_IN, RR } from "./constants.ts";
import { DnsFormatError } from "./errors.ts";
import { type Rdata, rdataToText, writeRdata } from "./rdata.ts";
import { WireReader } from "./reader.ts";
import { WireWriter } from "./writer.ts";

export interface Question {
  name: string;
  type: number;
  class: number;
}

export interface ResourceRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  rdata: Rdata;
}

export interface ParsedRecord {
  /** Offset where the record (its owner name) starts. */
  start: number;
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** Offset of the TTL field in the message, so cached responses can be re-aged in place. */
  ttlOffset: number;
  rdOffset: number;
  rdLength: number;
}

export interface Edns {
  udpSize: number;
  extRcode: number;
  version: number;
  dnssecOk: boolean;
}

export interface ParsedMessage {
  id: number;
  flags: number;
  opcode: number;
  rcode: number;
  questions: Question[];
  answers: ParsedRecord[];
  authority: ParsedRecord[];
  additional: ParsedRecord[];
  edns?: Edns;
}

export function parseMessage(buf: Buffer): ParsedMessage {
  const r = new WireReader(buf);
  const id = r.u16();
  const flags = r.u16();
  const qd = r.u16();
  const an = r.u16();
  const ns = r.u16();
  const ar = r.u16();
  const questions: Question[] = [];
  for (let i = 0; i < qd; i++) questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  const section = (n: number) => {
    const out: ParsedRecord[] = [];
    for (let i = 0; i < n; i++) {
      const start = r.pos;
      const name = r.name();
      const type = r.u16();
      const klass = r.u16();
      const ttlOffset = r.pos;
      const ttl = r.u32();
      const rdLength = r.u16();
      const rdOffset = r.pos;
      r.bytes(rdLength);
      out.push({ start, name, type, class: klass, ttl, ttlOffset, rdOffset, rdLength });
    }
    return out;
  };
  const answers = section(an);
  const authority = section(ns);
  const additionalAll = section(ar);
  let edns: Edns | undefined;
  const additional: ParsedRecord[] = [];
  for (const rec of additionalAll) {
    if (rec.type !== RR.OPT) {
      additional.push(rec);
      continue;
    }
    if (edns) throw new DnsFormatError("bad_opt", "more than one OPT record");
    edns = {
      udpSize: rec.class,
      extRcode: rec.ttl >>> 24,
      version: (rec.ttl >>> 16) & 0xff,
      dnssecOk: (rec.ttl & 0x8000) !== 0,
    };
  }
  const rcode = (flags & 0xf) | ((edns?.extRcode ?? 0) << 4);
  const msg: ParsedMessage = {
    id,
    flags,
    opcode: (flags >> 11) & 0xf,
    rcode,
    questions,
    answers,
    authority,
    additional,
  };
  if (edns) msg.edns = edns;
  return msg;
}

/** Presentation text of a parsed record's RDATA. */
export function recordText(buf: Buffer, rec: ParsedRecord): string {
  return rdataToText(rec.type, buf, rec.rdOffset, rec.rdLength);
}

export interface BuildOptions {
  id: number;
  flags: number;
  question?: Question;
  answer?: ResourceRecord[];
  authority?: ResourceRecord[];
  additional?: ResourceRecord[];
  edns?: { udpSize: number; extRcode?: number; dnssecOk?: boolean };
}

export function writeRecord(w: WireWriter, rr: ResourceRecord): void {
  w.name(rr.name);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  const lenAt = w.pos;
  w.u16(0);
  const start = w.pos;
  writeRdata(w, rr.rdata);
  w.setU16(lenAt, w.pos - start);
}

export function buildMessage(o: BuildOptions): Buffer {
  const w = new WireWriter(512);
  const an = o.answer ?? [];
  const ns = o.authority ?? [];
  const ar = o.additional ?? [];
  w.u16(o.id);
  w.u16(o.flags);
  w.u16(o.question ? 1 : 0);
  w.u16(an.length);
  w.u16(ns.length);
  w.u16(ar.length + (o.edns ? 1 : 0));
  if (o.question) {
    w.name(o.question.name);
    w.u16(o.question.type);
    w.u16(o.question.class);
  }
  for (const rr of an) writeRecord(w, rr);
  for (const rr of ns) writeRecord(w, rr);
  for (const rr of ar) writeRecord(w, rr);
  if (o.edns) writeOpt(w, o.edns.udpSize, o.edns.extRcode ?? 0, o.edns.dnssecOk ?? false);
  return w.finish();
}

export function writeOpt(w: WireWriter, udpSize: number, extRcode: number, dnssecOk: boolean) {
  w.u8(0);
  w.u16(RR.OPT);
  w.u16(udpSize);
  w.u8(extRcode);
  w.u8(0);
  w.u16(dnssecOk ? 0x8000 : 0);
  w.u16(0);
}

/** Builds a simple query (used by the forwarder, NOTIFY sender and tests). */
export function buildQuery(
  id: number,
  name: string,
  type: number,
  opts: { rd?: boolean; edns?: number; opcode?: number } = {},
): Buffer {
  const flags = ((opts.opcode ?? 0) << 11) | (opts.rd === false ? 0 : 0x0100);
  const q: BuildOptions = { id, flags, question: { name, type, class: CLASS_IN } };
  if (opts.edns) q.edns = { udpSize: opts.edns };
  return buildMessage(q);
}
