// Server-side TLS contexts for L7 routes, one per (cert, key, min version), rebuilt when either
// file changes on disk so renewed certificates are served without a restart or dropped connections.
// Each context issues session tickets (clients resume without a full handshake) under a key of
// its own that changes every `ticketRotateMs` (ticket-keys.ts: every process of one mc-proxy
// derives the same key, so cluster workers resume each other's sessions, and a later leak of the
// process memory cannot open tickets of earlier periods). Tickets issued shortly before a
// rotation fall back to a full handshake; contexts never share keys, so a ticket cannot resume a
// session on another route.
import { readFileSync, type Stats, unwatchFile, watchFile } from "node:fs";
import { createSecureContext, type SecureContext } from "node:tls";
import type { Logger } from "pino";
import type { TlsVersion } from "../state/types.ts";
import { TICKET_PERIOD_MS, TicketKeys, type TicketSeed } from "./ticket-keys.ts";

interface Entry {
  id: string;
  ctx: SecureContext;
  certPem: Buffer;
  keyPem: Buffer;
  minTls: TlsVersion;
  /** When the ticket key is due for replacement (clock ms). */
  rotateAt: number;
  watchers: { file: string; fn: (cur: Stats, prev: Stats) => void }[];
}

export interface TlsContextsOptions {
  /** Polling interval of the certificate file watchers. */
  pollMs?: number;
  /** Lifetime of a session-ticket key (default one hour). */
  ticketRotateMs?: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

export class TlsContexts {
  private readonly entries = new Map<string, Entry>();
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly tickets: TicketKeys;

  constructor(
    private readonly logger: Logger,
    o: TlsContextsOptions = {},
  ) {
    this.pollMs = o.pollMs ?? 1000;
    this.now = o.now ?? Date.now;
    this.tickets = new TicketKeys(o.ticketRotateMs ?? TICKET_PERIOD_MS, this.now);
  }

  /** The ticket-key chain position (the cluster primary hands it to its workers). */
  ticketSeed(): TicketSeed {
    return this.tickets.seed();
  }

  /** Continue another process's ticket-key chain; contexts built so far get the new keys. */
  reseed(seed: TicketSeed): void {
    this.tickets.reseed(seed);
    for (const e of this.entries.values()) this.rotate(e);
  }

  /** The context for these files; throws when they cannot be loaded the first time. */
  get(cert: string, key: string, minTls: TlsVersion): SecureContext {
    const id = TlsContexts.id(cert, key, minTls);
    const hit = this.entries.get(id);
    if (hit !== undefined) {
      if (this.now() >= hit.rotateAt) this.rotate(hit);
      return hit.ctx;
    }
    const certPem = readFileSync(cert);
    const keyPem = readFileSync(key);
    const entry: Entry = {
      id,
      ctx: build(certPem, keyPem, minTls, this.tickets.keyFor(id)),
      certPem,
      keyPem,
      minTls,
      rotateAt: this.tickets.nextRotation(),
      watchers: [],
    };
    const reload = () => {
      try {
        const c = readFileSync(cert);
        const k = readFileSync(key);
        entry.ctx = build(c, k, minTls, this.tickets.keyFor(id));
        entry.certPem = c;
        entry.keyPem = k;
        entry.rotateAt = this.tickets.nextRotation();
        this.logger.info({ cert }, "reloaded TLS certificate");
      } catch (e) {
        this.logger.warn(
          { cert, err: (e as Error).message },
          "TLS certificate reload failed; keeping the previous one",
        );
      }
    };
    for (const f of [cert, key]) {
      const fn = (cur: Stats, prev: Stats) => {
        if (cur.mtimeMs !== prev.mtimeMs || cur.ino !== prev.ino) reload();
      };
      watchFile(f, { interval: this.pollMs, persistent: false }, fn);
      entry.watchers.push({ file: f, fn });
    }
    this.entries.set(id, entry);
    return entry.ctx;
  }

  /** A fresh ticket key: the same certificate in a new context (the old one serves its sessions). */
  private rotate(e: Entry): void {
    e.rotateAt = this.tickets.nextRotation();
    try {
      e.ctx = build(e.certPem, e.keyPem, e.minTls, this.tickets.keyFor(e.id));
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, "TLS session ticket key rotation failed");
    }
  }

  /** Stop watching files no route uses any more. */
  prune(keep: Set<string>): void {
    for (const [id, e] of this.entries) {
      if (keep.has(id)) continue;
      for (const w of e.watchers) unwatchFile(w.file, w.fn);
      this.entries.delete(id);
    }
  }

  static id(cert: string, key: string, minTls: TlsVersion): string {
    return `${cert}\0${key}\0${minTls}`;
  }

  close(): void {
    this.prune(new Set());
  }
}

function build(cert: Buffer, key: Buffer, minTls: TlsVersion, ticketKey: Buffer): SecureContext {
  const ctx = createSecureContext({
    cert,
    key,
    minVersion: minTls === "1.2" ? "TLSv1.2" : "TLSv1.3",
    ticketKeys: ticketKey,
  });
  ticketKey.fill(0); // the context holds its own copy
  return ctx;
}
