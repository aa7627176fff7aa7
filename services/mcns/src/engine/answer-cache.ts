// Pre-encoded authoritative responses keyed by the whole question: (qtype, qclass) and the
// lowercase wire name. Each entry is a complete response with ID 0 and a lowercase question;
// serving copies the client's own question bytes over it and patches ID, RD/CD and EDNS, and
// truncates for the client's UDP size (see patch.ts). Nothing else in a query changes the stored
// bytes: DO only echoes in OPT (no signing here), RD/CD are copied, EDNS presence and size decide
// OPT and truncation at serve time. Bounded: the oldest entries go first when full (random-name
// floods cannot grow it).

/** One number for (qtype, qclass): a small integer, so the first-level lookup stays cheap. */
export function questionKind(qtype: number, qclass: number): number {
  return qclass * 65536 + qtype;
}

export class AnswerCache {
  private readonly order = new Map<string, Buffer>();
  private readonly byKind = new Map<number, Map<string, Buffer>>();

  constructor(private readonly maxEntries = 100_000) {}

  /** Lookup by question kind then lowercase wire name (no key string built on the hot path). */
  get(kind: number, name: string): Buffer | undefined {
    return this.byKind.get(kind)?.get(name);
  }

  set(kind: number, name: string, wire: Buffer): void {
    if (this.order.size >= this.maxEntries) {
      const first = this.order.keys().next();
      if (!first.done) {
        this.order.delete(first.value);
        const sep = first.value.indexOf("|");
        this.byKind.get(Number(first.value.slice(0, sep)))?.delete(first.value.slice(sep + 1));
      }
    }
    this.order.set(`${kind}|${name}`, wire);
    let m = this.byKind.get(kind);
    if (!m) {
      m = new Map();
      this.byKind.set(kind, m);
    }
    m.set(name, wire);
  }

  clear(): void {
    this.order.clear();
    this.byKind.clear();
  }

  get size(): number {
    return this.order.size;
  }
}
