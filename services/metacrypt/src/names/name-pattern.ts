// Name patterns shared by CA profiles and policy rules: compared label by label, case-insensitive;
// a pattern label "*" stands for exactly one label ("*.svc.mcp.metacircular.net" matches
// "mcq.svc.mcp.metacircular.net", not "a.b.svc.mcp.metacircular.net" nor the apex); a pattern
// "*" alone matches any name.

import { AppError } from "@metacircular/mcdsl/errors";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function matchName(pattern: string, name: string): boolean {
  if (pattern === "*") return true;
  const p = pattern.toLowerCase().split(".");
  const n = name.toLowerCase().split(".");
  if (p.length !== n.length) return false;
  return p.every((label, i) => label === "*" || label === n[i]);
}

export function matchAny(patterns: string[], name: string): boolean {
  return patterns.some((p) => matchName(p, name));
}

const GLOB = /[*?]/;

/**
 * Whether a requested name may stand for a name the pattern matches: a requested name can be a
 * wildcard itself (an X.509 "*.example.com" is valid for every one-label name under it; an
 * OpenSSH host principal may be any glob). Deny rules use this, so a wildcard cannot slip past
 * a rule that denies one of the names it covers.
 */
export function mayCover(pattern: string, name: string): boolean {
  if (matchName(pattern, name)) return true;
  if (!GLOB.test(name)) return false;
  const n = name.toLowerCase().split(".");
  if (n.length < 2 || n[0] !== "*" || n.slice(1).some((l) => GLOB.test(l))) return true;
  const p = pattern.toLowerCase().split(".");
  return p.length === n.length && p.every((label, i) => i === 0 || label === "*" || label === n[i]);
}

/** A DNS name a certificate may carry: lower-case LDH labels, a "*" only as the first label. */
export function checkDnsName(raw: string): string {
  const name = raw.toLowerCase().replace(/\.$/, "");
  const labels = name.split(".");
  const ok =
    name.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l, i) => LABEL.test(l) || (i === 0 && l === "*"));
  if (!ok)
    throw AppError.badRequest("invalid_name", `not a valid DNS name: ${JSON.stringify(raw)}`);
  return name;
}
