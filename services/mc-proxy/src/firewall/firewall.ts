// The global firewall: allow/deny lists (addresses and CIDRs), GeoIP country blocking and per-IP
// token-bucket rate limits. Evaluated for every connection before routing.

import { readFileSync } from "node:fs";
import { BlockList, isIP } from "node:net";
import { type CountryResponse, Reader } from "maxmind";
import { KeyedTokenBuckets, type RateSpec } from "./token-bucket.ts";

export interface FirewallRules {
  /** addresses/CIDRs exempt from every other rule */
  allow: string[];
  /** addresses/CIDRs always refused */
  deny: string[];
  /** ISO 3166 alpha-2 codes refused (needs geoipDb) */
  blockedCountries: string[];
  geoipDb: string | null;
  connRate: RateSpec | null;
  requestRate: RateSpec | null;
}

export const EMPTY_RULES: FirewallRules = {
  allow: [],
  deny: [],
  blockedCountries: [],
  geoipDb: null,
  connRate: null,
  requestRate: null,
};

export type Verdict = "allow" | "deny_ip" | "deny_country" | "rate_limited";

/** Parse "1.2.3.4", "1.2.3.0/24", "2001:db8::/32" into a BlockList; throws on bad input. */
export function buildBlockList(entries: string[]): BlockList {
  const bl = new BlockList();
  for (const e of entries) addEntry(bl, e);
  return bl;
}

export function validateNetwork(entry: string): string | null {
  try {
    addEntry(new BlockList(), entry);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function addEntry(bl: BlockList, entry: string): void {
  const [addr, len, extra] = entry.trim().split("/");
  const fam = isIP(addr ?? "");
  if (fam === 0 || extra !== undefined) throw new Error(`not an IP address or CIDR: ${entry}`);
  const type = fam === 4 ? "ipv4" : "ipv6";
  if (len === undefined) {
    bl.addAddress(addr as string, type);
    return;
  }
  const n = /^\d{1,3}$/.test(len) ? Number(len) : -1;
  if (n < 0 || n > (fam === 4 ? 32 : 128)) throw new Error(`bad prefix length in ${entry}`);
  bl.addSubnet(addr as string, n, type);
}

/** How an address stands on the allow/deny lists. */
const LISTED_NONE = 0;
const LISTED_ALLOW = 1;
const LISTED_DENY = 2;
/** Verdicts remembered per address (BlockList.check costs microseconds); cleared when full. */
const LISTED_CACHE_MAX = 4096;

export class Firewall {
  private rules: FirewallRules = EMPTY_RULES;
  private allow = new BlockList();
  private deny = new BlockList();
  /** false when both lists are empty: nothing to look up. */
  private listsInUse = false;
  private readonly listed = new Map<string, number>();
  private countries = new Set<string>();
  private geo: Reader<CountryResponse> | null = null;
  private connBuckets: KeyedTokenBuckets | null = null;
  private reqBuckets: KeyedTokenBuckets | null = null;

  constructor(rules: FirewallRules = EMPTY_RULES) {
    this.update(rules);
  }

  /** Replace the rule set atomically (bucket state is kept when the limits stay configured). */
  update(rules: FirewallRules): void {
    const allow = buildBlockList(rules.allow);
    const deny = buildBlockList(rules.deny);
    let geo = this.geo;
    if (rules.geoipDb !== this.rules.geoipDb || geo === null) {
      geo = rules.geoipDb ? new Reader<CountryResponse>(readFileSync(rules.geoipDb)) : null;
    }
    this.allow = allow;
    this.deny = deny;
    this.listsInUse = rules.allow.length > 0 || rules.deny.length > 0;
    this.listed.clear();
    this.geo = geo;
    this.countries = new Set(rules.blockedCountries.map((c) => c.toUpperCase()));
    this.connBuckets = updateBuckets(this.connBuckets, rules.connRate);
    this.reqBuckets = updateBuckets(this.reqBuckets, rules.requestRate);
    this.rules = rules;
  }

  /**
   * True when checkConnection answers "allow" for every address without side effects (no lists,
   * no blocked countries, no connection rate limit): connections then need no per-peer decision.
   */
  get admitsEveryone(): boolean {
    return !this.listsInUse && this.countries.size === 0 && this.connBuckets === null;
  }

  /** The allow and deny lists as configured (for resets at accept by the native ingress). */
  get addressLists(): { allow: string[]; deny: string[] } {
    return { allow: this.rules.allow, deny: this.rules.deny };
  }

  get current(): FirewallRules {
    return this.rules;
  }

  country(ip: string): string | undefined {
    if (this.geo === null) return undefined;
    try {
      return this.geo.get(ip)?.country?.iso_code;
    } catch {
      return undefined; // e.g. an IPv6 address against an IPv4-only database
    }
  }

  /** Decide on a new connection from `ip` (already normalised, PROXY-protocol source if present). */
  checkConnection(ip: string): Verdict {
    const l = this.listedAs(ip);
    if (l === LISTED_ALLOW) return "allow";
    if (l === LISTED_DENY) return "deny_ip";
    if (this.countries.size > 0) {
      const c = this.country(ip);
      if (c !== undefined && this.countries.has(c)) return "deny_country";
    }
    if (this.connBuckets !== null && !this.connBuckets.take(ip)) return "rate_limited";
    return "allow";
  }

  /** Per-request limit for L7 routes. */
  checkRequest(ip: string): boolean {
    if (this.reqBuckets === null) return true;
    if (this.listedAs(ip) === LISTED_ALLOW) return true;
    return this.reqBuckets.take(ip);
  }

  /** Allow-listed (wins over deny), deny-listed or neither; remembered per address. */
  private listedAs(ip: string): number {
    if (!this.listsInUse) return LISTED_NONE;
    let l = this.listed.get(ip);
    if (l === undefined) {
      const type = isIP(ip) === 6 ? "ipv6" : "ipv4";
      l = this.allow.check(ip, type)
        ? LISTED_ALLOW
        : this.deny.check(ip, type)
          ? LISTED_DENY
          : LISTED_NONE;
      if (this.listed.size >= LISTED_CACHE_MAX) this.listed.clear();
      this.listed.set(ip, l);
    }
    return l;
  }
}

function updateBuckets(
  cur: KeyedTokenBuckets | null,
  spec: RateSpec | null,
): KeyedTokenBuckets | null {
  if (spec === null) return null;
  if (cur === null) return new KeyedTokenBuckets(spec);
  cur.setSpec(spec);
  return cur;
}
