// Pre-encoded authoritative responses keyed by (lowercase qname, qtype). Each entry is a complete
// response with ID 0 and a lowercase question; serving patches ID, RD/CD, the question's case and
// EDNS. Bounded: the oldest entries go first when full (random-name floods cannot grow it).

export class AnswerCache {
  private readonly map = new Map<string, Buffer>();
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 100_000) {}

  get(key: string): Buffer | undefined {
    const v = this.map.get(key);
    if (v) this.hits++;
    else this.misses++;
    return v;
  }

  set(key: string, wire: Buffer): void {
    if (this.map.size >= this.maxEntries) {
      const first = this.map.keys().next();
      if (!first.done) this.map.delete(first.value);
    }
    this.map.set(key, wire);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
