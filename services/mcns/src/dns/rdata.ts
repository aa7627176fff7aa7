// RDATA for the supported types: presentation text → parts (bytes and names) → wire, and wire →
// canonical text. Unknown types use the RFC 3597 generic form (\# <len> <hex>).
// arch: parser

import { RR, typeName } from "./constants.ts";
import { DnsFormatError } from "./errors.ts";
import { bytesToIpv4, bytesToIpv6, ipv4ToBytes, ipv6ToBytes } from "./ip.ts";
import { EXTRA_CODECS } from "./rdata-extra.ts";
import { exact, int, nameTok, u16, u32 } from "./rdata-fields.ts";
import type { RdataPart } from "./rdata-parts.ts";
import { readName, WireReader } from "./reader.ts";
import { quoteBytes, type Token, tokenize, unescapeBytes } from "./text-tokens.ts";
import type { WireWriter } from "./writer.ts";

export type { NamePart, RdataPart } from "./rdata-parts.ts";

export interface Rdata {
  type: number;
  /** Canonical presentation text (absolute names). */
  text: string;
  parts: RdataPart[];
}

/** Parses presentation RDATA for `type`; relative names resolve against `origin`. */
export function parseRdata(type: number, text: string, origin?: string): Rdata {
  const tk = tokenize(text);
  const tn = typeName(type);
  if (tk[0]?.text === "\\#" && !tk[0].quoted) return genericFromTokens(type, tk);
  switch (type) {
    case RR.A: {
      exact(tk, 1, tn);
      const b = ipv4ToBytes(tk[0]!.text);
      return { type, text: bytesToIpv4(b), parts: [b] };
    }
    case RR.AAAA: {
      exact(tk, 1, tn);
      const b = ipv6ToBytes(tk[0]!.text);
      return { type, text: bytesToIpv6(b), parts: [b] };
    }
    case RR.NS:
    case RR.CNAME:
    case RR.PTR: {
      exact(tk, 1, tn);
      const n = nameTok(tk[0], origin, "target");
      return { type, text: n, parts: [{ name: n, compress: true }] };
    }
    case RR.MX: {
      exact(tk, 2, tn);
      const pref = int(tk[0], 0xffff, "preference");
      const n = nameTok(tk[1], origin, "exchange");
      return { type, text: `${pref} ${n}`, parts: [u16(pref), { name: n, compress: true }] };
    }
    case RR.SRV: {
      exact(tk, 4, tn);
      const p = int(tk[0], 0xffff, "priority");
      const w = int(tk[1], 0xffff, "weight");
      const port = int(tk[2], 0xffff, "port");
      const n = nameTok(tk[3], origin, "target");
      return {
        type,
        text: `${p} ${w} ${port} ${n}`,
        parts: [Buffer.concat([u16(p), u16(w), u16(port)]), { name: n, compress: false }],
      };
    }
    case RR.SOA: {
      exact(tk, 7, tn);
      const m = nameTok(tk[0], origin, "mname");
      const r = nameTok(tk[1], origin, "rname");
      const nums = tk.slice(2).map((t, i) => int(t, 0xffffffff, `SOA field ${i + 3}`));
      return {
        type,
        text: `${m} ${r} ${nums.join(" ")}`,
        parts: [
          { name: m, compress: true },
          { name: r, compress: true },
          Buffer.concat(nums.map(u32)),
        ],
      };
    }
    case RR.TXT: {
      if (tk.length === 0) throw new DnsFormatError("bad_rdata", "TXT needs at least one string");
      const strs = tk.map((t) => unescapeBytes(t.text));
      const bufs: Buffer[] = [];
      for (const s of strs) {
        // Long unquoted/quoted strings are split into 255-octet character-strings.
        for (let i = 0; i === 0 || i < s.length; i += 255) {
          const chunk = s.subarray(i, i + 255);
          bufs.push(Buffer.from([chunk.length]), chunk);
        }
      }
      const wire = Buffer.concat(bufs);
      if (wire.length > 65535) throw new DnsFormatError("bad_rdata", "TXT too long");
      return { type, text: txtText(wire), parts: [wire] };
    }
    case RR.CAA: {
      exact(tk, 3, tn);
      const flags = int(tk[0], 255, "flags");
      const tag = tk[1]!.text;
      if (!/^[A-Za-z0-9]{1,15}$/.test(tag))
        throw new DnsFormatError("bad_rdata", "CAA tag must be 1-15 letters/digits");
      const value = unescapeBytes(tk[2]!.text);
      const wire = Buffer.concat([Buffer.from([flags, tag.length]), Buffer.from(tag), value]);
      return { type, text: `${flags} ${tag} ${quoteBytes(value)}`, parts: [wire] };
    }
    case RR.OPT:
    case RR.AXFR:
    case RR.IXFR:
    case RR.ANY:
      throw new DnsFormatError("bad_type", `${tn} cannot be stored as a record`);
    default: {
      const codec = EXTRA_CODECS.get(type);
      if (codec) return { type, ...codec.parse(tk, origin, text) };
      throw new DnsFormatError(
        "bad_rdata",
        `${tn} records must use the RFC 3597 form: \\# <length> <hex>`,
      );
    }
  }
}

function genericFromTokens(type: number, tk: Token[]): Rdata {
  const len = int(tk[1], 0xffff, "length");
  const hex = tk
    .slice(2)
    .map((t) => t.text)
    .join("");
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length !== len * 2)
    throw new DnsFormatError("bad_rdata", "generic RDATA hex does not match its length");
  const wire = Buffer.from(hex, "hex");
  // Known types given in generic form are normalised by decoding them.
  const text = rdataToText(type, wire, 0, wire.length);
  if (isKnownType(type)) return parseRdata(type, text);
  return { type, text, parts: [wire] };
}

const KNOWN: Record<number, true> = {
  [RR.A]: true,
  [RR.AAAA]: true,
  [RR.NS]: true,
  [RR.CNAME]: true,
  [RR.PTR]: true,
  [RR.MX]: true,
  [RR.SRV]: true,
  [RR.SOA]: true,
  [RR.TXT]: true,
  [RR.CAA]: true,
};

export function isKnownType(type: number): boolean {
  return type in KNOWN || EXTRA_CODECS.has(type);
}

function txtText(wire: Buffer): string {
  const out: string[] = [];
  let i = 0;
  while (i < wire.length) {
    const l = wire[i]!;
    if (i + 1 + l > wire.length) throw new DnsFormatError("bad_rdata", "TXT string overruns");
    out.push(quoteBytes(wire.subarray(i + 1, i + 1 + l)));
    i += 1 + l;
  }
  return out.join(" ");
}

/** Writes RDATA (without the length prefix). */
export function writeRdata(w: WireWriter, rd: Rdata): void {
  for (const p of rd.parts) {
    if (Buffer.isBuffer(p)) w.bytes(p);
    else w.name(p.name, p.compress);
  }
}

/** Canonical presentation text of wire RDATA at [start, start+len) of a full message. */
export function rdataToText(type: number, msg: Buffer, start: number, len: number): string {
  const end = start + len;
  const r = new WireReader(msg, start, end);
  const done = (s: string) => {
    if (r.pos !== end) throw new DnsFormatError("bad_rdata", `${typeName(type)} RDATA length`);
    return s;
  };
  switch (type) {
    case RR.A:
      return done(bytesToIpv4(r.bytes(4)));
    case RR.AAAA:
      return done(bytesToIpv6(r.bytes(16)));
    case RR.NS:
    case RR.CNAME:
    case RR.PTR:
      return done(r.name());
    case RR.MX: {
      const p = r.u16();
      return done(`${p} ${r.name()}`);
    }
    case RR.SRV: {
      const p = r.u16();
      const w = r.u16();
      const port = r.u16();
      return done(`${p} ${w} ${port} ${r.name()}`);
    }
    case RR.SOA: {
      const m = r.name();
      const rn = r.name();
      const nums = [r.u32(), r.u32(), r.u32(), r.u32(), r.u32()];
      return done(`${m} ${rn} ${nums.join(" ")}`);
    }
    case RR.TXT:
      return txtText(r.bytes(len));
    case RR.CAA: {
      const flags = r.u8();
      const tl = r.u8();
      const tag = r.bytes(tl).toString("latin1");
      const val = r.bytes(end - r.pos);
      return `${flags} ${tag} ${quoteBytes(val)}`;
    }
    default: {
      const codec = EXTRA_CODECS.get(type);
      if (codec) return done(codec.text(r));
      return `\\# ${len}${len ? ` ${msg.subarray(start, end).toString("hex")}` : ""}`;
    }
  }
}

/** Name targets referenced by RDATA (for additional-section processing and CNAME chasing). */
export function rdataTarget(rd: Rdata): string | undefined {
  for (const p of rd.parts) if (!Buffer.isBuffer(p)) return p.name;
  return undefined;
}

export { readName };
