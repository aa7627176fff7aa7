// The validation cache: answers keyed by SHA-256 of the token (the token itself is never a
// key), with an index from token id (jti) to cache keys so revocations evict precisely.
import { createHash } from "node:crypto";
import type { Identity } from "../identity/index.ts";

interface Entry {
  identity: Identity | null;
  expiresAt: number;
}

export function tokenKey(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export class ValidationCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byJti = new Map<string, string>();

  constructor(private readonly maxEntries = 100_000) {}

  get(key: string, now: number): Identity | null | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.delete(key);
      return undefined;
    }
    return e.identity;
  }

  set(key: string, identity: Identity | null, expiresAt: number): void {
    if (this.entries.size >= this.maxEntries) this.clear();
    this.entries.set(key, { identity, expiresAt });
    if (identity?.tokenId) this.byJti.set(identity.tokenId, key);
  }

  evictTokenId(jti: string): boolean {
    const key = this.byJti.get(jti);
    if (key === undefined) return false;
    this.delete(key);
    return true;
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (e?.identity?.tokenId) this.byJti.delete(e.identity.tokenId);
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.byJti.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
