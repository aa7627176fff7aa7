// Known devices (OWASP "device cookies"): lockout without denial of service.
//
// The per-account throttle (throttle.ts) stops guessing against a name, but an attacker who keeps
// guessing keeps the real owner locked out too. So a client that signed in successfully as an
// account receives a device token, `<id>.<secret>` (16 + 32 random bytes, base64url; only the
// secret's SHA-256 is stored). A login that presents a valid, unexpired token for the account it
// names skips the per-account and per-address limits and meets only the limit of that device:
// `device_failures` failures within `device_lock_s` lock the device for `device_lock_s`. Every
// successful login replaces the presented token with a fresh one. A token for another account,
// an expired, unknown or malformed one is simply not a known device: the caller is throttled like
// any unknown client, and the answer does not say which case it was.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/open.ts";
import { stmt } from "../db/statements.ts";

export interface DeviceConfig {
  device_failures: number;
  device_lock_s: number;
  device_ttl_days: number;
}

/** A device token that checked out for the account being logged in to. */
export interface KnownDevice {
  id: string;
  accountId: string;
}

interface DeviceRow {
  account_id: string;
  secret_sha256: string;
  expires_at: number;
  failures: number;
  first_failure_at: number;
  locked_until: number;
  username: string;
  status: string;
}

const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
/** Devices kept per account; the oldest beyond this are dropped when a new one is issued. */
export const MAX_DEVICES_PER_ACCOUNT = 20;

const sha256 = (s: string) => createHash("sha256").update(s).digest();

export class DeviceStore {
  private readonly inflight = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly cfg: DeviceConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** The device behind `token` when it is valid for the live account named `username`. */
  recognise(token: string | undefined, username: string): KnownDevice | undefined {
    const m = token ? TOKEN.exec(token) : null;
    if (!m) return undefined;
    const row = this.row(m[1]!);
    if (!row || row.expires_at <= this.now()) return undefined;
    const ok = timingSafeEqual(sha256(m[2]!), Buffer.from(row.secret_sha256, "hex"));
    if (!ok || row.status !== "active" || row.username !== username) return undefined;
    return { id: m[1]!, accountId: row.account_id };
  }

  /**
   * The device's own limit: seconds to wait (nothing registered), or 0 and a release function
   * for the attempt now in flight. Attempts in flight count as failures, as for accounts.
   */
  begin(d: KnownDevice): { wait: number; release: () => void } {
    const ts = this.now();
    const row = this.row(d.id);
    if (row && row.locked_until > ts)
      return { wait: Math.ceil((row.locked_until - ts) / 1000), release: () => undefined };
    const pending = this.inflight.get(d.id) ?? 0;
    if (pending > 0 && this.recentFailures(row, ts) + pending >= this.cfg.device_failures)
      return { wait: 1, release: () => undefined };
    this.inflight.set(d.id, pending + 1);
    let released = false;
    return {
      wait: 0,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inflight.get(d.id) ?? 1) - 1;
        if (left > 0) this.inflight.set(d.id, left);
        else this.inflight.delete(d.id);
      },
    };
  }

  /** A failed attempt from the device; the device locks at `device_failures` in the window. */
  recordFailure(d: KnownDevice): void {
    const ts = this.now();
    const row = this.row(d.id);
    if (!row) return;
    const inWindow = this.recentFailures(row, ts) > 0;
    const failures = (inWindow ? row.failures : 0) + 1;
    const first = inWindow ? row.first_failure_at : ts;
    const lockMs = this.cfg.device_lock_s * 1000;
    const locked = failures >= this.cfg.device_failures;
    stmt(
      this.db,
      "UPDATE login_devices SET failures = ?, first_failure_at = ?, locked_until = ? WHERE id = ?",
    ).run(locked ? 0 : failures, locked ? 0 : first, locked ? ts + lockMs : 0, d.id);
  }

  /** Issues a fresh token for the account, retiring `previous` (the token that was presented). */
  issue(accountId: string, previous?: KnownDevice): string {
    const ts = this.now();
    const id = randomBytes(16).toString("base64url");
    const secret = randomBytes(32).toString("base64url");
    this.db.transaction(() => {
      if (previous) stmt(this.db, "DELETE FROM login_devices WHERE id = ?").run(previous.id);
      stmt(this.db, "DELETE FROM login_devices WHERE account_id = ? AND expires_at <= ?").run(
        accountId,
        ts,
      );
      stmt(
        this.db,
        `INSERT INTO login_devices (id, account_id, secret_sha256, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?)`,
      ).run(
        id,
        accountId,
        sha256(secret).toString("hex"),
        ts,
        ts + this.cfg.device_ttl_days * 86_400_000,
      );
      stmt(
        this.db,
        `DELETE FROM login_devices WHERE account_id = ? AND id NOT IN
           (SELECT id FROM login_devices WHERE account_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
      ).run(accountId, accountId, MAX_DEVICES_PER_ACCOUNT);
    })();
    return `${id}.${secret}`;
  }

  /** Drops expired devices (all accounts). */
  prune(): number {
    return stmt(this.db, "DELETE FROM login_devices WHERE expires_at <= ?").run(this.now()).changes;
  }

  private recentFailures(row: DeviceRow | undefined, ts: number): number {
    if (!row || row.failures === 0) return 0;
    return ts - row.first_failure_at < this.cfg.device_lock_s * 1000 ? row.failures : 0;
  }

  private row(id: string): DeviceRow | undefined {
    return stmt(
      this.db,
      `SELECT d.account_id, d.secret_sha256, d.expires_at, d.failures, d.first_failure_at,
              d.locked_until, a.username, a.status
         FROM login_devices d JOIN accounts a ON a.id = d.account_id WHERE d.id = ?`,
    ).get(id) as DeviceRow | undefined;
  }
}
