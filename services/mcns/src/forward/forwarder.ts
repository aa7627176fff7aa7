// Forwarding resolver for names outside our zones: cache first, then the configured upstreams in
// order (failover on timeout, SERVFAIL or REFUSED; TCP retry on TC), concurrent identical queries
// coalesced, and stale answers served when no upstream answers.

import type { IncomingQuery } from "../dns/query.ts";
import { OPT_LEN } from "../engine/patch.ts";
import type { Forwarder } from "../engine/responder.ts";
import type { QueryStats } from "../engine/stats.ts";
import { ageEntry, ForwardCache, type ForwardEntry } from "./forward-cache.ts";
import { queryTcp, queryUdp, UpstreamError } from "./upstream-client.ts";

export interface ForwarderOptions {
  upstreams: string[];
  timeoutMs: number;
  cacheEntries: number;
  maxTtl: number;
  staleSeconds: number;
  /** TTL written into stale answers (RFC 8767 recommends 30). */
  staleTtl: number;
  /** With a stale answer available, answer with it after this long (RFC 8767 suggests 1800). */
  staleAnswerMs: number;
  maxUdpSize: number;
}

export class UpstreamForwarder implements Forwarder {
  readonly cache: ForwardCache;
  private readonly inflight = new Map<string, Promise<ForwardEntry | Buffer>>();

  constructor(
    private readonly o: ForwarderOptions,
    private readonly stats: QueryStats,
  ) {
    this.cache = new ForwardCache(o.cacheEntries, o.maxTtl, o.staleSeconds);
  }

  async forward(q: IncomingQuery, query: Buffer, qname: string): Promise<Buffer> {
    const key = `${q.keyName}|${q.qtype}|${q.qclass}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now < hit.expiresAt) {
      this.stats.forwardCacheHits++;
      return this.patch(ageEntry(hit, now), q, query);
    }
    this.stats.forwardCacheMisses++;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.resolve(key, qname, q.qtype).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    if (hit) {
      // RFC 8767 client response timer: with a stale answer in hand, do not keep the client
      // waiting for slow or dead upstreams; the refresh continues in the background.
      p.catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), this.o.staleAnswerMs);
        timer.unref();
      });
      const first = await Promise.race([p.catch(() => "late" as const), late]);
      clearTimeout(timer);
      if (first === "late") {
        this.stats.staleServed++;
        return this.patch(ageEntry(hit, Date.now(), this.o.staleTtl), q, query);
      }
    }
    try {
      const r = await p;
      if (Buffer.isBuffer(r)) return this.patch(Buffer.from(r), q, query);
      return this.patch(ageEntry(r, Date.now()), q, query);
    } catch (err) {
      const stale = this.cache.get(key);
      if (stale) {
        this.stats.staleServed++;
        return this.patch(ageEntry(stale, Date.now(), this.o.staleTtl), q, query);
      }
      throw err;
    }
  }

  private async resolve(key: string, qname: string, qtype: number): Promise<ForwardEntry | Buffer> {
    let lastErr: unknown = new UpstreamError("no upstreams configured");
    for (const up of this.o.upstreams) {
      try {
        let resp = await queryUdp(up, qname, qtype, this.o.timeoutMs);
        if (resp[2]! & 0x02) resp = await queryTcp(up, qname, qtype, this.o.timeoutMs);
        const rcode = resp[3]! & 0xf;
        if (rcode === 2 || rcode === 5) {
          lastErr = new UpstreamError(`upstream ${up} answered rcode ${rcode}`);
          continue;
        }
        const entry = this.cache.put(key, resp);
        if (entry) return entry;
        // Not cacheable (e.g. NOERROR/NODATA without SOA): pass it through once, without OPT.
        const out = Buffer.from(resp);
        out.writeUInt16BE(0, 0);
        return stripOpt(out);
      } catch (e) {
        lastErr = e;
      }
    }
    throw lastErr;
  }

  /** Client ID, RD/CD flags, question case and EDNS applied to a cached response. */
  private patch(wire: Buffer, q: IncomingQuery, query: Buffer): Buffer {
    const extra = q.edns ? OPT_LEN : 0;
    const out = Buffer.allocUnsafe(wire.length + extra);
    wire.copy(out);
    out[0] = query[0]!;
    out[1] = query[1]!;
    out[2] = (out[2]! & ~0x05) | (query[2]! & 0x01); // clear AA (we are not the authority), copy RD
    out[3] = out[3]! | 0x80; // RA
    query.copy(out, 12, 12, q.questionEnd); // the client's own question: case, type and class
    if (q.edns) {
      const p = wire.length;
      out[p] = 0;
      out.writeUInt16BE(41, p + 1);
      out.writeUInt16BE(this.o.maxUdpSize, p + 3);
      out.writeUInt32BE(0, p + 5);
      out.writeUInt16BE(0, p + 9);
      out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
    }
    return out;
  }
}

function stripOpt(resp: Buffer): Buffer {
  const ar = resp.readUInt16BE(10);
  for (let p = resp.length - 11; p >= 12 && ar > 0; p--) {
    if (
      resp[p] === 0 &&
      resp.readUInt16BE(p + 1) === 41 &&
      p + 11 + resp.readUInt16BE(p + 9) === resp.length
    ) {
      const out = Buffer.from(resp.subarray(0, p));
      out.writeUInt16BE(ar - 1, 10);
      return out;
    }
  }
  return resp;
}
