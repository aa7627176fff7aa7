// The set of zones served, keyed by lowercase origin. Swapping a zone bumps `generation`, which
// invalidates every pre-encoded answer built from older data.

import { isSubdomain, parentName } from "../dns/name.ts";
import { TYPE_DS } from "../zone/lookup.ts";
import type { Zone } from "../zone/zone.ts";

export class ZoneRegistry {
  private readonly zones = new Map<string, Zone>();
  private listeners: Array<(origin: string) => void> = [];
  generation = 0;

  set(zone: Zone): void {
    this.zones.set(zone.key, zone);
    this.changed(zone.key);
  }

  delete(key: string): void {
    if (this.zones.delete(key)) this.changed(key);
  }

  get(key: string): Zone | undefined {
    return this.zones.get(key);
  }

  list(): Zone[] {
    return [...this.zones.values()];
  }

  /** Longest-suffix zone containing the lowercase absolute name. */
  find(name: string): Zone | undefined {
    for (let p = name; ; p = parentName(p)) {
      const z = this.zones.get(p);
      if (z && isSubdomain(name, z.key)) return z;
      if (p === ".") return undefined;
    }
  }

  /**
   * The zone that answers `qtype` at the lowercase name: the longest match, except that DS at a
   * hosted zone's apex comes from the parent zone when that is hosted too (RFC 4035 §3.1.4.1).
   */
  findFor(name: string, qtype: number): Zone | undefined {
    const z = this.find(name);
    if (qtype !== TYPE_DS || !z || z.key !== name || name === ".") return z;
    return this.find(parentName(name)) ?? z;
  }

  onChange(fn: (origin: string) => void): void {
    this.listeners.push(fn);
  }

  private changed(key: string): void {
    this.generation++;
    for (const fn of this.listeners) fn(key);
  }
}
