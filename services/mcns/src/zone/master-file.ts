// RFC 1035 §5 master files: parse (with $ORIGIN, $TTL, parentheses, comments, blank owners,
// TTL/class in either order, RFC 3597 generic types) and export.
// arch: parser

import { RR, typeName, typeNumber } from "../dns/constants.ts";
import { DnsFormatError } from "../dns/errors.ts";
import { absoluteName, lowerName } from "../dns/name.ts";
import { parseRdata } from "../dns/rdata.ts";
import type { Zone } from "./zone.ts";

export interface MasterRecord {
  name: string;
  type: number;
  ttl: number;
  value: string;
  /** Line of the file the record starts on (for error messages). */
  line: number;
}

export interface MasterSoa {
  primary_ns: string;
  admin_email: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
  ttl: number;
  line: number;
}

export interface ParsedMaster {
  soa?: MasterSoa;
  records: MasterRecord[];
}

/** Joins parenthesised continuation lines and strips comments (respecting quotes). */
function logicalLines(text: string): Array<{ line: string; lineNo: number }> {
  const out: Array<{ line: string; lineNo: number }> = [];
  let cur = "";
  let depth = 0;
  let startNo = 1;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    let inQ = false;
    let s = "";
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i]!;
      if (c === "\\" && i + 1 < raw.length) {
        s += c + raw[i + 1];
        i++;
        continue;
      }
      if (c === '"') inQ = !inQ;
      if (!inQ && c === ";") break;
      if (!inQ && c === "(") {
        depth++;
        s += " ";
        continue;
      }
      if (!inQ && c === ")") {
        depth--;
        s += " ";
        continue;
      }
      s += c;
    }
    if (cur === "") startNo = idx + 1;
    cur += cur === "" ? s : ` ${s}`;
    if (depth <= 0) {
      if (cur.trim() !== "") out.push({ line: cur, lineNo: startNo });
      cur = "";
      depth = 0;
    }
  });
  if (cur.trim() !== "")
    throw new DnsFormatError("bad_zone_file", "unbalanced parentheses at end of file");
  return out;
}

function ttlValue(t: string): number | undefined {
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^(\d+[smhdwSMHDW])+$/.test(t) ? t.match(/\d+[smhdwSMHDW]/g) : null;
  if (!m) return undefined;
  const mult: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  return m.reduce((acc, p) => acc + Number(p.slice(0, -1)) * mult[p.slice(-1).toLowerCase()]!, 0);
}

export function parseMasterFile(text: string, zoneOrigin: string): ParsedMaster {
  let origin = absoluteName(zoneOrigin);
  let defaultTtl: number | undefined;
  let lastOwner: string | undefined;
  const res: ParsedMaster = { records: [] };
  for (const { line, lineNo } of logicalLines(text)) {
    const fail = (msg: string): never => {
      throw new DnsFormatError("bad_zone_file", `line ${lineNo}: ${msg}`);
    };
    try {
      const blankOwner = /^\s/.test(line);
      const toks = line.trim().split(/\s+/);
      if (toks[0] === "$ORIGIN") {
        origin = absoluteName(toks[1] ?? fail("$ORIGIN needs a name"), origin);
        continue;
      }
      if (toks[0] === "$TTL") {
        defaultTtl = ttlValue(toks[1] ?? "") ?? fail("bad $TTL");
        continue;
      }
      if (toks[0]?.startsWith("$")) fail(`unsupported directive ${toks[0]}`);
      let owner: string;
      if (blankOwner) owner = lastOwner ?? fail("first record has no owner");
      else owner = absoluteName(toks.shift()!, origin);
      lastOwner = owner;
      let ttl: number | undefined;
      let type: number | undefined;
      // Up to two of TTL / class before the type.
      for (let k = 0; k < 3 && toks.length > 0; k++) {
        const t = toks[0]!;
        const asTtl = ttlValue(t);
        if (asTtl !== undefined && ttl === undefined) {
          ttl = asTtl;
          toks.shift();
          continue;
        }
        if (/^(IN|CH|HS|CS)$/i.test(t)) {
          if (t.toUpperCase() !== "IN") fail("only class IN is supported");
          toks.shift();
          continue;
        }
        type = typeNumber(t) ?? fail(`unknown type ${t}`);
        toks.shift();
        break;
      }
      if (type === undefined) fail("missing record type");
      // Rdata is the rest of the original line after the type token (keeps quoting intact).
      const rdataText = restAfterType(line, blankOwner);
      if (type === RR.SOA) {
        const rd = parseRdata(RR.SOA, rdataText, origin).text.split(" ");
        if (lowerName(owner) !== lowerName(absoluteName(zoneOrigin)))
          fail("SOA must be at the zone apex");
        if (res.soa) fail(`a second SOA (the first is on line ${res.soa.line})`);
        const n = rd.slice(2).map(Number);
        res.soa = {
          primary_ns: rd[0]!,
          admin_email: rd[1]!,
          serial: n[0]!,
          refresh: n[1]!,
          retry: n[2]!,
          expire: n[3]!,
          minimum: n[4]!,
          ttl: ttl ?? defaultTtl ?? n[4]!,
          line: lineNo,
        };
        continue;
      }
      const value = parseRdata(type!, rdataText, origin).text;
      res.records.push({
        name: owner,
        type: type!,
        ttl: ttl ?? defaultTtl ?? res.soa?.minimum ?? 3600,
        value,
        line: lineNo,
      });
    } catch (e) {
      // The field's own code (bad_rdata, bad_svcparam, …) is kept; the line goes in front.
      if (e instanceof DnsFormatError && !e.message.startsWith("line "))
        throw new DnsFormatError(e.code, `line ${lineNo}: ${e.message}`);
      throw e;
    }
  }
  return res;
}

/** Text after the type token: skips owner (unless blank), then TTL/class tokens and the type. */
function restAfterType(line: string, blankOwner: boolean): string {
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  let skippedOwner = blankOwner;
  for (;;) {
    m = re.exec(line);
    if (!m) return "";
    if (!skippedOwner) {
      skippedOwner = true;
      continue;
    }
    const t = m[0];
    if (ttlValue(t) !== undefined || /^(IN|CH|HS|CS)$/i.test(t)) continue;
    return line.slice(m.index + t.length).trim();
  }
}

export function exportMasterFile(zone: Zone): string {
  const lines = [`$ORIGIN ${zone.origin}`, `$TTL ${zone.soaFields.ttl}`];
  for (const r of zone.allRecords()) {
    lines.push(`${r.name}\t${r.ttl}\tIN\t${typeName(r.type)}\t${r.rdata.text}`);
  }
  return `${lines.join("\n")}\n`;
}
