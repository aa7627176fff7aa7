// Backend hostnames of L4 routes resolved for the native relay (which takes numeric addresses
// only): one lookup per name in flight, answers kept for a short time.
import { lookup } from "node:dns/promises";

const TTL_MS = 30_000;
const MAX_ENTRIES = 1024;

export class ResolveCache {
  private readonly entries = new Map<string, { ip: string; expires: number }>();
  private readonly inflight = new Map<string, Promise<string>>();

  cached(host: string): string | undefined {
    const e = this.entries.get(host);
    if (e === undefined) return undefined;
    if (e.expires > Date.now()) return e.ip;
    this.entries.delete(host);
    return undefined;
  }

  resolve(host: string): Promise<string> {
    let p = this.inflight.get(host);
    if (p !== undefined) return p;
    p = lookup(host).then(
      (r) => {
        this.inflight.delete(host);
        if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
        this.entries.set(host, { ip: r.address, expires: Date.now() + TTL_MS });
        return r.address;
      },
      (err: Error) => {
        this.inflight.delete(host);
        throw err;
      },
    );
    this.inflight.set(host, p);
    return p;
  }
}
