// The barrier: password → Argon2id → key-wrapping key (KWK) → master encryption key (MEK) →
// one data encryption key (DEK) per engine mount. Every entry is AES-256-GCM sealed with its
// full path as associated data. System entries (mount table, DEKs, policy) use the MEK; a
// mount's entries use only its own DEK, so one mount's key opens nothing else.
// While sealed no key is in memory and every store refuses with the stable `sealed` error.

import { randomBytes } from "node:crypto";
import type { Database } from "@metacircular/mcdsl/db";
import { EntryQueries, type MetaRow } from "../db/entries.ts";
import { DecryptError, decrypt, encrypt, KEY_BYTES } from "./aead.ts";
import {
  alreadyInitialized,
  alreadyUnsealed,
  badUnsealSecret,
  notInitialized,
  sealedError,
} from "./errors.ts";
import { deriveKwk, type KdfParams, kdfParams } from "./kdf.ts";
import type { MountStore } from "./mount-store.ts";
import { OpenedCache } from "./opened-cache.ts";
import { combineShares, splitSecret } from "./shamir.ts";

const MEK_AAD = "barrier/mek";
const SYS = "sys/";
const keyPath = (mount: string) => `keys/${mount}`;

export type InitRequest =
  | { kind: "password"; password: string }
  | { kind: "shamir"; shares: number; threshold: number };

export type UnsealInput = { kind: "password"; password: string } | { kind: "share"; share: string };

type State =
  | { kind: "uninitialized" }
  | { kind: "sealed"; meta: MetaRow; pending: Buffer[] }
  | { kind: "unsealed"; meta: MetaRow; mek: Buffer; deks: Map<string, Buffer> };

export interface SealStatus {
  initialized: boolean;
  sealed: boolean;
  mode?: "password" | "shamir";
  shares?: number;
  threshold?: number;
  /** Shares received towards the threshold (Shamir mode, while sealed). */
  progress?: number;
}

function wipe(b: Buffer): void {
  b.fill(0);
}

export class Barrier {
  readonly q: EntryQueries;
  private state: State;
  private busy: Promise<unknown> = Promise.resolve();
  private readonly sealListeners: Array<() => void> = [];
  /** Opened entries while unsealed (see opened-cache.ts); zero-filled on seal. */
  private readonly opened = new OpenedCache();

  constructor(
    db: Database,
    private readonly kdf: KdfParams,
  ) {
    this.q = new EntryQueries(db);
    const meta = this.q.meta();
    this.state = meta ? { kind: "sealed", meta, pending: [] } : { kind: "uninitialized" };
  }

  status(): SealStatus {
    const s = this.state;
    if (s.kind === "uninitialized") return { initialized: false, sealed: true };
    const out: SealStatus = { initialized: true, sealed: s.kind === "sealed", mode: s.meta.mode };
    if (s.meta.mode === "shamir") {
      out.shares = s.meta.shares ?? 0;
      out.threshold = s.meta.threshold ?? 0;
      if (s.kind === "sealed") out.progress = s.pending.length;
    }
    return out;
  }

  isSealed(): boolean {
    return this.state.kind !== "unsealed";
  }

  /** Called on every seal (engines drop cached keys). */
  onSeal(fn: () => void): void {
    this.sealListeners.push(fn);
  }

  /** Creates the key hierarchy; the barrier stays sealed. Returns the shares in Shamir mode. */
  initialize(req: InitRequest): Promise<{ shares?: string[] }> {
    return this.serial(async () => {
      if (this.state.kind !== "uninitialized") throw alreadyInitialized();
      const secret =
        req.kind === "password" ? Buffer.from(req.password, "utf8") : randomBytes(KEY_BYTES);
      const salt = randomBytes(16);
      const kwk = await deriveKwk(secret, salt, this.kdf);
      const mek = randomBytes(KEY_BYTES);
      const meta: MetaRow = {
        mode: req.kind,
        kdf: JSON.stringify({ alg: "argon2id", ...this.kdf }),
        salt,
        wrapped_mek: encrypt(kwk, mek, MEK_AAD),
        shares: req.kind === "shamir" ? req.shares : null,
        threshold: req.kind === "shamir" ? req.threshold : null,
        created_at: new Date().toISOString(),
      };
      const shares =
        req.kind === "shamir" ? await splitSecret(secret, req.shares, req.threshold) : undefined;
      wipe(kwk);
      wipe(mek);
      wipe(secret);
      this.q.insertMeta(meta);
      this.state = { kind: "sealed", meta, pending: [] };
      return shares ? { shares } : {};
    });
  }

  /** One password, or one share at a time until the threshold is reached. */
  unseal(input: UnsealInput): Promise<SealStatus> {
    return this.serial(async () => {
      const s = this.state;
      if (s.kind === "uninitialized") throw notInitialized();
      if (s.kind === "unsealed") throw alreadyUnsealed();
      const secret = this.collect(s, input);
      if (!secret) return this.status();
      const mek = await this.unwrap(s.meta, await secret);
      this.state = { kind: "unsealed", meta: s.meta, mek, deks: new Map() };
      return this.status();
    });
  }

  private collect(
    s: Extract<State, { kind: "sealed" }>,
    input: UnsealInput,
  ): Promise<Buffer> | undefined {
    if (s.meta.mode === "password") {
      if (input.kind !== "password") throw badUnsealSecret();
      return Promise.resolve(Buffer.from(input.password, "utf8"));
    }
    if (input.kind !== "share") throw badUnsealSecret();
    const share = Buffer.from(input.share, "base64");
    if (share.length !== KEY_BYTES + 1) throw badUnsealSecret();
    if (!s.pending.some((p) => p.equals(share))) s.pending.push(share);
    if (s.pending.length < (s.meta.threshold ?? 0)) return undefined;
    const shares = s.pending.splice(0);
    return combineShares(shares).catch(() => {
      throw badUnsealSecret();
    });
  }

  private async unwrap(meta: MetaRow, secret: Buffer): Promise<Buffer> {
    const params = kdfParams.parse(
      Object.fromEntries(Object.entries(JSON.parse(meta.kdf)).filter(([k]) => k !== "alg")),
    );
    const kwk = await deriveKwk(secret, meta.salt, params);
    wipe(secret);
    try {
      return decrypt(kwk, meta.wrapped_mek, MEK_AAD);
    } catch (e) {
      if (e instanceof DecryptError) throw badUnsealSecret();
      throw e;
    } finally {
      wipe(kwk);
    }
  }

  /** Drops every key from memory. Idempotent. */
  seal(): void {
    const s = this.state;
    if (s.kind === "sealed") s.pending.splice(0).forEach(wipe);
    if (s.kind !== "unsealed") return;
    wipe(s.mek);
    for (const k of s.deks.values()) wipe(k);
    this.opened.clear();
    this.state = { kind: "sealed", meta: s.meta, pending: [] };
    for (const fn of this.sealListeners) fn();
  }

  /** MEK-sealed system storage (mount table, mount keys, policy), paths under "sys/". */
  systemStore(): MountStore {
    return this.store(SYS, () => this.unsealed().mek);
  }

  /** The store of one mount, sealed with that mount's own DEK. */
  mountStore(mount: string): MountStore {
    return this.store(`mount/${mount}/`, () => this.dek(mount));
  }

  /** Creates a fresh DEK for a new mount (sealed under the MEK). */
  createMountKey(mount: string): void {
    const s = this.unsealed();
    const dek = randomBytes(KEY_BYTES);
    this.systemStore().put(keyPath(mount), dek);
    s.deks.set(mount, dek);
  }

  /** Deletes a mount's key and every entry it sealed. */
  destroyMount(mount: string): void {
    const s = this.unsealed();
    this.q.db.transaction(() => {
      this.q.deletePrefix(`mount/${mount}/`);
      this.systemStore().delete(keyPath(mount));
    })();
    this.opened.dropPrefix(`mount/${mount}/`);
    const k = s.deks.get(mount);
    if (k) wipe(k);
    s.deks.delete(mount);
  }

  private dek(mount: string): Buffer {
    const s = this.unsealed();
    let k = s.deks.get(mount);
    if (!k) {
      k = this.systemStore().get(keyPath(mount));
      if (!k) throw new Error(`mount ${mount} has no data key`);
      s.deks.set(mount, k);
    }
    return k;
  }

  private unsealed(): Extract<State, { kind: "unsealed" }> {
    if (this.state.kind !== "unsealed") throw sealedError();
    return this.state;
  }

  private store(prefix: string, key: () => Buffer): MountStore {
    const q = this.q;
    const opened = this.opened;
    return {
      get: (path) => {
        const k = key();
        const full = prefix + path;
        const hit = opened.get(full);
        if (hit) return hit;
        const v = q.get(full);
        if (v === undefined) return undefined;
        const plain = decrypt(k, v, full);
        if (!q.db.inTransaction) opened.set(full, plain);
        return plain;
      },
      put: (path, value) => {
        opened.drop(prefix + path);
        q.put(prefix + path, encrypt(key(), value, prefix + path));
      },
      delete: (path) => {
        key();
        opened.drop(prefix + path);
        q.delete(prefix + path);
      },
      list: (p) => {
        key();
        return q.list(prefix + p).map((full) => full.slice(prefix.length));
      },
    };
  }

  /** Serialises init/unseal (each awaits Argon2id). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.busy.then(fn, fn);
    this.busy = run.catch(() => undefined);
    return run;
  }
}
