// Domain names in presentation form ("www.Example.com.", escapes \. and \DDD) and their wire
// labels. Internally names are absolute presentation strings; the lowercase form is the lookup key.

import { DnsFormatError } from "./errors.ts";

const MAX_NAME_WIRE = 255;

/** Splits an absolute presentation name into raw label bytes (escapes resolved). Root → []. */
export function nameToLabels(name: string): Buffer[] {
  if (name === "." || name === "") return [];
  const labels: Buffer[] = [];
  let cur: number[] = [];
  let i = 0;
  while (i < name.length) {
    const c = name.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      const d = name.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(d)) {
        const v = Number(d);
        if (v > 255) throw new DnsFormatError("bad_name", `bad escape in ${name}`);
        cur.push(v);
        i += 4;
      } else {
        if (i + 1 >= name.length)
          throw new DnsFormatError("bad_name", `dangling escape in ${name}`);
        cur.push(name.charCodeAt(i + 1) & 0xff);
        i += 2;
      }
      continue;
    }
    if (c === 0x2e /* . */) {
      if (cur.length === 0) throw new DnsFormatError("bad_name", `empty label in ${name}`);
      labels.push(Buffer.from(cur));
      cur = [];
      i++;
      continue;
    }
    if (c > 0x7e || c < 0x21) throw new DnsFormatError("bad_name", `invalid character in ${name}`);
    cur.push(c);
    i++;
  }
  if (cur.length > 0) labels.push(Buffer.from(cur));
  let wire = 1;
  for (const l of labels) {
    if (l.length > 63)
      throw new DnsFormatError("bad_name", `label longer than 63 octets in ${name}`);
    wire += l.length + 1;
  }
  if (wire > MAX_NAME_WIRE) throw new DnsFormatError("bad_name", `name longer than 255 octets`);
  return labels;
}

/** Presentation form of one label, escaping dots, backslashes and non-printables. */
export function labelToText(buf: Uint8Array, start: number, len: number): string {
  let s = "";
  for (let i = start; i < start + len; i++) {
    const b = buf[i]!;
    if (b === 0x2e || b === 0x5c || b === 0x22 || b === 0x28 || b === 0x29 || b === 0x3b) {
      s += `\\${String.fromCharCode(b)}`;
    } else if (b < 0x21 || b > 0x7e) {
      s += `\\${b.toString().padStart(3, "0")}`;
    } else s += String.fromCharCode(b);
  }
  return s;
}

export function labelsToName(labels: Buffer[]): string {
  if (labels.length === 0) return ".";
  return `${labels.map((l) => labelToText(l, 0, l.length)).join(".")}.`;
}

/** Canonical absolute form: validates, resolves a relative name against origin. */
export function absoluteName(name: string, origin?: string): string {
  let n = name.trim();
  if (n === "@") {
    if (!origin) throw new DnsFormatError("bad_name", "@ used without an origin");
    return absoluteName(origin);
  }
  if (n === ".") return ".";
  if (!n.endsWith(".") || n.endsWith("\\.")) {
    if (!origin) n = `${n}.`;
    else n = origin === "." ? `${n}.` : `${n}.${origin.endsWith(".") ? origin : `${origin}.`}`;
  }
  // Round-trip through labels to validate and normalise escapes.
  return labelsToName(nameToLabels(n));
}

/** ASCII-only lowercase (DNS names compare case-insensitively in ASCII only). */
export function lowerName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 0x20));
}

/** True when `name` equals `zone` or lies below it (both lowercase absolute). */
export function isSubdomain(name: string, zone: string): boolean {
  if (zone === ".") return true;
  return name === zone || (name.endsWith(zone) && name[name.length - zone.length - 1] === ".");
}

/** Parent of an absolute name ("a.b." → "b.", "b." → "."). Escaped dots are respected. */
export function parentName(name: string): string {
  if (name === ".") return ".";
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === "\\") {
      i++;
      if (/\d/.test(name[i] ?? "")) i += 2;
      continue;
    }
    if (c === ".") return i === name.length - 1 ? "." : name.slice(i + 1);
  }
  return ".";
}

export function labelCount(name: string): number {
  return name === "." ? 0 : nameToLabels(name).length;
}
