// Hand-built queries with every knob a client can turn (class, 0x20 case, RD, CD, EDNS size, DO)
// and a normalised view of any server's response, for differential tests.

import { rng } from "@metacircular/testkit";
import { CLASS_IN } from "../../src/dns/constants.ts";
import { parseMessage, recordText } from "../../src/dns/message.ts";

export interface RawQuery {
  id: number;
  /** Absolute name, in the case to send. */
  name: string;
  type: number;
  klass?: number;
  rd?: boolean;
  cd?: boolean;
  /** EDNS UDP size; undefined sends no OPT. */
  edns?: number;
  dnssecOk?: boolean;
}

export function encodeQuery(q: RawQuery): Buffer {
  const labels = q.name === "." ? [] : q.name.replace(/\.$/, "").split(".");
  const nameLen = labels.reduce((n, l) => n + l.length + 1, 1);
  const out = Buffer.alloc(12 + nameLen + 4 + (q.edns === undefined ? 0 : 11));
  out.writeUInt16BE(q.id, 0);
  out[2] = q.rd ? 0x01 : 0;
  out[3] = q.cd ? 0x10 : 0;
  out.writeUInt16BE(1, 4);
  out.writeUInt16BE(q.edns === undefined ? 0 : 1, 10);
  let p = 12;
  for (const l of labels) {
    out[p++] = l.length;
    p += out.write(l, p, "latin1");
  }
  out[p++] = 0;
  out.writeUInt16BE(q.type, p);
  out.writeUInt16BE(q.klass ?? CLASS_IN, p + 2);
  p += 4;
  if (q.edns !== undefined) {
    out.writeUInt16BE(41, p + 1);
    out.writeUInt16BE(q.edns, p + 3);
    out.writeUInt32BE(q.dnssecOk ? 0x8000 : 0, p + 5);
  }
  return out;
}

/** The question bytes of a message with one question (offset 12 to the end of QCLASS). */
export function questionBytes(msg: Buffer): Buffer {
  let p = 12;
  while (p < msg.length && msg[p] !== 0) p += msg[p]! + 1;
  return msg.subarray(12, p + 5);
}

export interface Normalised {
  rcode: number;
  flags: string;
  answer: string[];
  authority: string[];
  additional: string[];
  opt: string;
}

const FLAG_BITS: Array<[number, string]> = [
  [0x8000, "qr"],
  [0x0400, "aa"],
  [0x0200, "tc"],
  [0x0100, "rd"],
  [0x0080, "ra"],
  [0x0020, "ad"],
  [0x0010, "cd"],
];

/** Rcode, flags, sections as sorted presentation lines (owner lowercased), OPT presence/DO. */
export function normalise(resp: Buffer): Normalised {
  const m = parseMessage(resp);
  const lines = (recs: typeof m.answers) =>
    recs
      .map(
        (r) =>
          `${r.name.toLowerCase()} ${r.ttl} ${r.class} ${r.type} ${recordText(resp, r).toLowerCase()}`,
      )
      .sort();
  return {
    rcode: m.rcode,
    flags: FLAG_BITS.filter(([bit]) => (m.flags & bit) !== 0)
      .map(([, n]) => n)
      .join(" "),
    answer: lines(m.answers),
    authority: lines(m.authority),
    additional: lines(m.additional),
    opt: m.edns ? `edns do=${m.edns.dnssecOk}` : "none",
  };
}

/** Seeded PRNG: the same seed replays the same query sequence. */
export const prng = (seed: number): (() => number) => rng(seed).next;

/** 0x20 case randomisation (draft-vixie-dnsext-dns0x20): each letter's case from the PRNG. */
export function randomCase(name: string, rnd: () => number): string {
  let s = "";
  for (const c of name) s += rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase();
  return s;
}
