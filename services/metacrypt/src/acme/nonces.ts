// Anti-replay nonces (RFC 8555 §6.5): random, single use, expiring, and bounded in number (the
// oldest are dropped beyond the cap, so a client that only fetches nonces cannot grow the table).
// A nonce is consumed before the signature is checked: a replayed request is badNonce either way.

import { randomBytes } from "node:crypto";
import { cachedStatement, type Database } from "@metacircular/mcdsl/db";

export interface NonceOptions {
  ttlSeconds: number;
  max: number;
}

export class NonceStore {
  private issued = 0;
  constructor(
    private readonly db: Database,
    private readonly opts: NonceOptions,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    const nonce = randomBytes(16).toString("base64url");
    cachedStatement(this.db, "INSERT INTO acme_nonces (nonce, expires_at) VALUES (?, ?)").run(
      nonce,
      this.now() + this.opts.ttlSeconds * 1000,
    );
    if (++this.issued % 64 === 0) this.prune();
    return nonce;
  }

  /** True once for a nonce this server issued that has not expired. */
  consume(nonce: string): boolean {
    const r = cachedStatement(
      this.db,
      "DELETE FROM acme_nonces WHERE nonce = ? AND expires_at > ?",
    ).run(nonce, this.now());
    return r.changes === 1;
  }

  prune(): void {
    cachedStatement(this.db, "DELETE FROM acme_nonces WHERE expires_at <= ?").run(this.now());
    const { n } = cachedStatement(this.db, "SELECT count(*) AS n FROM acme_nonces").get() as {
      n: number;
    };
    if (n > this.opts.max)
      cachedStatement(
        this.db,
        "DELETE FROM acme_nonces WHERE nonce IN (SELECT nonce FROM acme_nonces ORDER BY expires_at LIMIT ?)",
      ).run(n - this.opts.max);
  }
}
