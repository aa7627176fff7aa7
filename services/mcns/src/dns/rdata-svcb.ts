// SVCB and HTTPS (RFC 9460): SvcPriority, TargetName (never compressed) and SvcParams in
// strictly increasing key order on the wire, whatever order the presentation form used.

import { DnsFormatError } from "./errors.ts";
import type { RdataCodec } from "./rdata-codec.ts";
import { nameTok, u16 } from "./rdata-fields.ts";
import {
  checkConsistency,
  decodeValue,
  encodeValue,
  keyName,
  keyNumber,
  presentParam,
  scanParams,
} from "./svc-params.ts";
import { tokenize } from "./text-tokens.ts";

const fail = (msg: string): never => {
  throw new DnsFormatError("bad_svcparam", msg);
};

function leadingFields(raw: string): { prio: string; target: string; rest: string } {
  const m = /^\s*(\S+)\s+(\S+)(.*)$/s.exec(raw);
  if (!m) throw new DnsFormatError("bad_rdata", "SVCB needs a priority and a target name");
  return { prio: m[1]!, target: m[2]!, rest: m[3]! };
}

function wireParams(params: Map<number, Buffer>): Buffer {
  const keys = [...params.keys()].sort((a, b) => a - b);
  return Buffer.concat(
    keys.flatMap((k) => {
      const v = params.get(k)!;
      if (v.length > 0xffff) fail(`${keyName(k)} value too long`);
      return [u16(k), u16(v.length), v];
    }),
  );
}

function presentation(prio: number, target: string, params: Map<number, Buffer>): string {
  const keys = [...params.keys()].sort((a, b) => a - b);
  return [String(prio), target, ...keys.map((k) => presentParam(k, params.get(k)!))].join(" ");
}

export const SVCB: RdataCodec = {
  parse(_tk, origin, raw) {
    const { prio: p, target: t, rest } = leadingFields(raw);
    if (!/^\d{1,5}$/.test(p) || Number(p) > 0xffff)
      throw new DnsFormatError("bad_rdata", "SvcPriority must be 0-65535");
    const prio = Number(p);
    const target = nameTok(tokenize(t)[0], origin, "target name");
    const params = new Map<number, Buffer>();
    for (const item of scanParams(rest)) {
      const k = keyNumber(item.key);
      if (params.has(k)) fail(`SvcParamKey ${keyName(k)} appears twice`);
      params.set(k, encodeValue(k, decodeValue(item.value)));
    }
    // AliasMode records with SvcParams are kept (RFC 9460 §2.4.2: SHOULD NOT, and recipients
    // ignore them), as NSD does.
    checkConsistency(params);
    const wire = wireParams(params);
    return {
      text: presentation(prio, target, params),
      parts: [u16(prio), { name: target, compress: false }, wire],
    };
  },
  text(r) {
    const prio = r.u16();
    const target = r.name();
    const params = new Map<number, Buffer>();
    let last = -1;
    while (r.pos < r.end) {
      const k = r.u16();
      if (k <= last) fail("SvcParamKeys are not in strictly increasing order");
      last = k;
      params.set(k, r.bytes(r.u16()));
    }
    checkConsistency(params);
    return presentation(prio, target, params);
  },
};
