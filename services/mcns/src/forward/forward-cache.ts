// Bounded cache of upstream responses honouring TTLs (positive and, per RFC 2308, negative).
// Entries are kept past expiry for `staleSeconds` so they can be served stale (RFC 8767) when
// every upstream is down. Responses are stored without OPT and with ID 0; TTL field offsets are
// remembered so served copies carry the remaining TTL.

import { RR } from "../dns/constants.ts";
import { parseMessage } from "../dns/message.ts";

export interface ForwardEntry {
  wire: Buffer;
  ttlOffsets: number[];
  ttls: number[];
  storedAt: number;
  expiresAt: number;
  staleUntil: number;
}

export class ForwardCache {
  private readonly map = new Map<string, ForwardEntry>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxTtl: number,
    private readonly staleSeconds: number,
  ) {}

  get(key: string): ForwardEntry | undefined {
    const e = this.map.get(key);
    if (e && Date.now() > e.staleUntil) {
      this.map.delete(key);
      return undefined;
    }
    return e;
  }

  /** Stores a response; returns the entry or undefined when it is not cacheable. */
  put(key: string, resp: Buffer, now = Date.now()): ForwardEntry | undefined {
    const parsed = parseMessage(resp);
    const rcode = parsed.rcode;
    if (rcode !== 0 && rcode !== 3) return undefined; // only NOERROR / NXDOMAIN
    const all = [...parsed.answers, ...parsed.authority, ...parsed.additional];
    let end = resp.length;
    // Drop the trailing OPT (we asked with EDNS; the client may not have).
    const arcount = resp.readUInt16BE(10);
    if (parsed.edns) {
      const last = parsed.additional.length === arcount - 1;
      if (!last) return undefined;
      end = findOptStart(resp);
      if (end < 0) return undefined;
    }
    let ttl: number;
    if (parsed.answers.length > 0) ttl = Math.min(...parsed.answers.map((r) => r.ttl));
    else {
      const soa = parsed.authority.find((r) => r.type === RR.SOA);
      if (!soa) return undefined;
      const minimum = resp.readUInt32BE(soa.rdOffset + soa.rdLength - 4);
      ttl = Math.min(soa.ttl, minimum);
    }
    ttl = Math.min(ttl, this.maxTtl);
    const wire = Buffer.from(resp.subarray(0, end));
    wire.writeUInt16BE(0, 0);
    if (parsed.edns) wire.writeUInt16BE(arcount - 1, 10);
    const entry: ForwardEntry = {
      wire,
      ttlOffsets: all.map((r) => r.ttlOffset),
      ttls: all.map((r) => r.ttl),
      storedAt: now,
      expiresAt: now + ttl * 1000,
      staleUntil: now + ttl * 1000 + this.staleSeconds * 1000,
    };
    if (this.map.size >= this.maxEntries) {
      const first = this.map.keys().next();
      if (!first.done) this.map.delete(first.value);
    }
    this.map.delete(key);
    this.map.set(key, entry);
    return entry;
  }

  get size(): number {
    return this.map.size;
  }

  entries(): IterableIterator<ForwardEntry> {
    return this.map.values();
  }
}

/** Offset of the OPT record, assumed last in the message (as every resolver writes it). */
function findOptStart(resp: Buffer): number {
  // OPT is: 00 (root) 00 29 (type 41) ... rdlength; scan from the end over its rdata.
  for (let p = resp.length - 11; p >= 12; p--) {
    if (
      resp[p] === 0 &&
      resp.readUInt16BE(p + 1) === RR.OPT &&
      p + 11 + resp.readUInt16BE(p + 9) === resp.length
    )
      return p;
  }
  return -1;
}

/** A served copy: remaining (or stale, fixed) TTLs written into the TTL fields. */
export function ageEntry(e: ForwardEntry, now: number, staleTtl?: number): Buffer {
  const out = Buffer.from(e.wire);
  const age = Math.floor((now - e.storedAt) / 1000);
  for (let i = 0; i < e.ttlOffsets.length; i++) {
    const off = e.ttlOffsets[i]!;
    if (off + 4 > out.length) continue; // the OPT record was cut off
    out.writeUInt32BE(staleTtl ?? Math.max(0, e.ttls[i]! - age), off);
  }
  return out;
}
