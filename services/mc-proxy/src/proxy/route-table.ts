// SNI → route lookup for one listener: exact names (case-insensitive) first, then one-label
// wildcards ("*.example.com" matches "a.example.com", not "a.b.example.com" or "example.com").
import { normalizeHostname } from "../state/hostname.ts";
import type { RouteSpec } from "../state/types.ts";

export class RouteTable<R extends { hostname: string } = RouteSpec> {
  private readonly exact = new Map<string, R>();
  private readonly wild = new Map<string, R>();

  constructor(routes: R[]) {
    for (const r of routes) {
      const h = normalizeHostname(r.hostname);
      if (h.startsWith("*.")) this.wild.set(h.slice(1), r);
      else this.exact.set(h, r);
    }
  }

  lookup(sni: string | undefined): R | undefined {
    if (sni === undefined) return undefined;
    const h = normalizeHostname(sni);
    const hit = this.exact.get(h);
    if (hit !== undefined) return hit;
    if (this.wild.size === 0) return undefined;
    const dot = h.indexOf(".");
    return dot > 0 ? this.wild.get(h.slice(dot)) : undefined;
  }

  /** The exact (non-wildcard) names and their routes, names normalised. */
  exactRoutes(): IterableIterator<[string, R]> {
    return this.exact.entries();
  }

  get size(): number {
    return this.exact.size + this.wild.size;
  }
}
