// Pending WebAuthn ceremonies, in memory. A challenge is single-use (taken on the first finish
// attempt, whatever its outcome), short-lived and bound to its purpose: a registration
// challenge to the account that asked for it, a login challenge to the username it named (or
// to none, for a discoverable-credential login). The store is capped so anonymous login
// begins cannot grow it without bound: the oldest pending challenges are dropped first.
import { randomBytes } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";

export type Purpose = "register" | "login";

export interface PendingChallenge {
  purpose: Purpose;
  /** base64url challenge the browser signs over (inside clientDataJSON). */
  challenge: string;
  /** register: the account registering; login: the account named by username, if any. */
  accountId: string | null;
  expiresAt: number;
}

export const CHALLENGE_TTL_MS = 3 * 60_000;
export const MAX_PENDING = 10_000;

export function challengeError(): AppError {
  return AppError.badRequest(
    "passkey_challenge_invalid",
    "the passkey challenge is unknown, expired, already used or for another purpose",
  );
}

export class ChallengeStore {
  /** Insertion-ordered, so the first entries are the oldest. */
  private readonly pending = new Map<string, PendingChallenge>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = CHALLENGE_TTL_MS,
    private readonly max = MAX_PENDING,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Records a challenge and returns the id the client sends back with its response. */
  put(purpose: Purpose, challenge: string, accountId: string | null): string {
    this.prune();
    while (this.pending.size >= this.max) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
    }
    const id = randomBytes(24).toString("base64url");
    this.pending.set(id, { purpose, challenge, accountId, expiresAt: this.now() + this.ttlMs });
    return id;
  }

  /**
   * Removes and returns the challenge if it exists, is fresh and has this purpose (and, for
   * registrations, this account). A failed take still consumes the challenge.
   */
  take(id: string, purpose: Purpose, accountId?: string): PendingChallenge {
    const p = typeof id === "string" ? this.pending.get(id) : undefined;
    if (!p) throw challengeError();
    this.pending.delete(id);
    if (p.expiresAt <= this.now() || p.purpose !== purpose) throw challengeError();
    if (accountId !== undefined && p.accountId !== accountId) throw challengeError();
    return p;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(id);
  }
}
