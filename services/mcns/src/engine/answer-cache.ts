// Pre-encoded authoritative responses keyed by (lowercase qname, qtype). Each entry is a complete
// response with ID 0 and a lowercase question; serving patches ID, RD/CD, the question's case and
// EDNS. Bounded: the oldest entries go first when full (random-name floods cannot grow it).

export class AnswerCache {
  private readonly map = new Map<string, Buffer>();
  private readonly byType = new Map<number, Map<string, Buffer>>();

  constructor(private readonly maxEntries = 100_000) {}

  /** Lookup by qtype then lowercase wire name (no key string built on the hot path). */
  get(qtype: number, name: string): Buffer | undefined {
    return this.byType.get(qtype)?.get(name);
  }

  set(qtype: number, name: string, wire: Buffer): void {
    if (this.map.size >= this.maxEntries) {
      const first = this.map.keys().next();
      if (!first.done) {
        this.map.delete(first.value);
        const sep = first.value.indexOf("|");
        this.byType.get(Number(first.value.slice(0, sep)))?.delete(first.value.slice(sep + 1));
      }
    }
    this.map.set(`${qtype}|${name}`, wire);
    let m = this.byType.get(qtype);
    if (!m) {
      m = new Map();
      this.byType.set(qtype, m);
    }
    m.set(name, wire);
  }

  clear(): void {
    this.map.clear();
    this.byType.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
