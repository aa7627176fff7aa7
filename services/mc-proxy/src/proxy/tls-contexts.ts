// Server-side TLS contexts for L7 routes, one per (cert, key, min version), rebuilt when either
// file changes on disk so renewed certificates are served without a restart or dropped connections.
import { readFileSync, type Stats, unwatchFile, watchFile } from "node:fs";
import { createSecureContext, type SecureContext } from "node:tls";
import type { Logger } from "pino";
import type { TlsVersion } from "../state/types.ts";

interface Entry {
  ctx: SecureContext;
  cert: string;
  key: string;
  watchers: { file: string; fn: (cur: Stats, prev: Stats) => void }[];
}

export class TlsContexts {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly logger: Logger,
    private readonly pollMs = 1000,
  ) {}

  /** The context for these files; throws when they cannot be loaded the first time. */
  get(cert: string, key: string, minTls: TlsVersion): SecureContext {
    const id = `${cert}\0${key}\0${minTls}`;
    const hit = this.entries.get(id);
    if (hit !== undefined) return hit.ctx;
    const entry: Entry = { ctx: build(cert, key, minTls), cert, key, watchers: [] };
    const reload = () => {
      try {
        entry.ctx = build(cert, key, minTls);
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

function build(cert: string, key: string, minTls: TlsVersion): SecureContext {
  return createSecureContext({
    cert: readFileSync(cert),
    key: readFileSync(key),
    minVersion: minTls === "1.2" ? "TLSv1.2" : "TLSv1.3",
  });
}
