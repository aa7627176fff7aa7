// Entries the barrier has opened, kept in memory while unsealed so a hot read (the mount table,
// the policy rules, a transit key) costs neither a SQLite read nor an AES-GCM open. Bounded
// (entry count and size); every write or delete of a path drops it first; the whole cache is
// zero-filled on seal, like the MEK and the DEKs. Values are handed out as copies, so a caller
// that wipes its buffer does not wipe the cache. Nothing is cached while a SQLite transaction
// is open (it may still roll back what it read). One process owns the database (the server;
// `metacrypt dev-bootstrap` runs while it is stopped), so nothing else changes an entry.

/** At most this many entries are kept; the oldest is dropped first. */
export const MAX_OPENED_ENTRIES = 1024;
/** Larger values are never cached. */
export const MAX_OPENED_BYTES = 64 * 1024;

export class OpenedCache {
  private readonly entries = new Map<string, Buffer>();

  get(path: string): Buffer | undefined {
    const v = this.entries.get(path);
    return v === undefined ? undefined : Buffer.from(v);
  }

  /** Keeps a copy of `value` unless it is too large. */
  set(path: string, value: Buffer): void {
    if (value.length > MAX_OPENED_BYTES) return;
    this.drop(path);
    if (this.entries.size >= MAX_OPENED_ENTRIES) {
      const oldest = this.entries.keys().next().value as string;
      this.drop(oldest);
    }
    this.entries.set(path, Buffer.from(value));
  }

  drop(path: string): void {
    this.entries.get(path)?.fill(0);
    this.entries.delete(path);
  }

  dropPrefix(prefix: string): void {
    for (const p of [...this.entries.keys()]) if (p.startsWith(prefix)) this.drop(p);
  }

  /** Zero-fills and forgets everything (on seal). */
  clear(): void {
    for (const v of this.entries.values()) v.fill(0);
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
