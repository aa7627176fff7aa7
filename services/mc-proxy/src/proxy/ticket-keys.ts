// Session-ticket keys that every process of one mc-proxy derives alike, so a client resumes its
// session whichever cluster worker accepts the next connection, and that still cannot be
// recovered for past periods. Time is cut into periods (one hour by default); each period has a
// 32-byte link of a one-way chain (link[p+1] = HMAC(link[p], "next")), and the ticket key of a
// TLS context in period p is HKDF(link[p], context id). A process keeps only the current link and
// wipes the one before: a later leak of its memory yields keys of the present and the future,
// never of sessions from earlier periods. The cluster primary hands its current link to each
// worker over IPC (never through the environment, which outlives the period).
import { createHmac, hkdfSync, randomBytes } from "node:crypto";

/** A chain position as it travels to workers: the link (hex) and its period number. */
export interface TicketSeed {
  link: string;
  period: number;
}

/** Bytes of a ticket key as node:tls takes it: name (16), HMAC secret (16), AES key (16). */
export const TICKET_KEY_BYTES = 48;

/** How long one ticket key is used. */
export const TICKET_PERIOD_MS = 3_600_000;

export class TicketKeys {
  private link: Buffer;
  private period: number;

  constructor(
    readonly periodMs: number,
    private readonly now: () => number = Date.now,
    seed?: TicketSeed,
  ) {
    this.link = seed ? Buffer.from(seed.link, "hex") : randomBytes(32);
    this.period = seed ? seed.period : this.current();
  }

  /** Continue from another process's chain position (a worker taking the primary's). */
  reseed(seed: TicketSeed): void {
    this.link.fill(0);
    this.link = Buffer.from(seed.link, "hex");
    this.period = seed.period;
  }

  /** The current position, for a worker to continue from. */
  seed(): TicketSeed {
    this.advance();
    return { link: this.link.toString("hex"), period: this.period };
  }

  /** The ticket key of one TLS context in the current period. */
  keyFor(contextId: string): Buffer {
    this.advance();
    return Buffer.from(
      hkdfSync("sha256", this.link, "", `mc-proxy ticket ${contextId}`, TICKET_KEY_BYTES),
    );
  }

  /** Clock time when the current period ends (every process rotates at the same moment). */
  nextRotation(): number {
    return (this.current() + 1) * this.periodMs;
  }

  private current(): number {
    return Math.floor(this.now() / this.periodMs);
  }

  private advance(): void {
    const target = this.current();
    // Far behind (a suspended host, a clock jump): a fresh random chain is as good and cheaper.
    if (target - this.period > 10_000) {
      this.link.fill(0);
      this.link = randomBytes(32);
      this.period = target;
      return;
    }
    while (this.period < target) {
      const next = createHmac("sha256", this.link).update("next").digest();
      this.link.fill(0);
      this.link = next;
      this.period++;
    }
  }
}
