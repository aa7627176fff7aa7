// Types built from character-strings: HINFO (RFC 1035 §3.3.2), NAPTR (RFC 3403 §4.1) and URI
// (RFC 7553 §4.4, a single unbounded octet string that must be quoted).

import { DnsFormatError } from "./errors.ts";
import type { RdataCodec } from "./rdata-codec.ts";
import { exact, int, nameTok, u16 } from "./rdata-fields.ts";
import type { WireReader } from "./reader.ts";
import { quoteBytes, type Token, unescapeBytes } from "./text-tokens.ts";

function charString(t: Token | undefined, what: string): Buffer {
  if (!t) throw new DnsFormatError("bad_rdata", `expected ${what}`);
  const b = unescapeBytes(t.text);
  if (b.length > 255) throw new DnsFormatError("bad_rdata", `${what} longer than 255 octets`);
  return b;
}

const withLen = (b: Buffer) => Buffer.concat([Buffer.from([b.length]), b]);
const readCs = (r: WireReader) => r.bytes(r.u8());

export const HINFO: RdataCodec = {
  parse(tk) {
    exact(tk, 2, "HINFO");
    const cpu = charString(tk[0], "CPU");
    const os = charString(tk[1], "OS");
    return {
      text: `${quoteBytes(cpu)} ${quoteBytes(os)}`,
      parts: [Buffer.concat([withLen(cpu), withLen(os)])],
    };
  },
  text(r) {
    const cpu = readCs(r);
    return `${quoteBytes(cpu)} ${quoteBytes(readCs(r))}`;
  },
};

export const NAPTR: RdataCodec = {
  parse(tk, origin) {
    exact(tk, 6, "NAPTR");
    const order = int(tk[0], 0xffff, "order");
    const pref = int(tk[1], 0xffff, "preference");
    const flags = charString(tk[2], "flags");
    if (!/^[A-Za-z0-9]*$/.test(flags.toString("latin1")))
      throw new DnsFormatError("bad_rdata", "NAPTR flags must be letters and digits (RFC 3403)");
    const services = charString(tk[3], "services");
    const regexp = charString(tk[4], "regexp");
    const repl = nameTok(tk[5], origin, "replacement");
    if (regexp.length > 0 && repl !== ".")
      throw new DnsFormatError(
        "bad_rdata",
        'NAPTR regexp and replacement are mutually exclusive (replacement must be ".")',
      );
    const fixed = Buffer.concat([
      u16(order),
      u16(pref),
      withLen(flags),
      withLen(services),
      withLen(regexp),
    ]);
    return {
      text: `${order} ${pref} ${quoteBytes(flags)} ${quoteBytes(services)} ${quoteBytes(regexp)} ${repl}`,
      parts: [fixed, { name: repl, compress: false }],
    };
  },
  text(r) {
    const order = r.u16();
    const pref = r.u16();
    const cs = [readCs(r), readCs(r), readCs(r)].map(quoteBytes).join(" ");
    return `${order} ${pref} ${cs} ${r.name()}`;
  },
};

export const URI: RdataCodec = {
  parse(tk) {
    exact(tk, 3, "URI");
    const prio = int(tk[0], 0xffff, "priority");
    const weight = int(tk[1], 0xffff, "weight");
    if (!tk[2]!.quoted) throw new DnsFormatError("bad_rdata", "URI target must be quoted");
    const target = unescapeBytes(tk[2]!.text);
    if (target.length === 0) throw new DnsFormatError("bad_rdata", "URI target is empty");
    return {
      text: `${prio} ${weight} ${quoteBytes(target)}`,
      parts: [Buffer.concat([u16(prio), u16(weight), target])],
    };
  },
  text(r) {
    const prio = r.u16();
    const weight = r.u16();
    return `${prio} ${weight} ${quoteBytes(r.bytes(r.end - r.pos))}`;
  },
};
