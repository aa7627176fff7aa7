// AuthClient: how a service talks to MCIAS. Validation answers are cached for cacheTtlMs
// (default 30 s) keyed by SHA-256 of the token. startRevocationWatch() long-polls
// GET /v1/token/revocations so a revoked token is evicted within one round trip (well under
// 1 s) instead of living out the cache TTL; while MCIAS is unreachable the watch retries and
// the TTL is the bound.
import type { Logger } from "pino";
import type { AppError } from "../errors/index.ts";
import type { AccountType, Identity, TokenValidator } from "../identity/index.ts";
import { tokenKey, ValidationCache } from "./cache.ts";
import { JsonClient, type JsonResponse, responseError } from "./http-json.ts";

export interface AuthClientOptions {
  serverUrl: string;
  /** PEM text or a path to the CA that signed MCIAS's certificate. */
  caCert?: string;
  serviceName: string;
  tags?: string[];
  cacheTtlMs?: number;
  /** How long a negative answer is cached; default 5 s (never longer than cacheTtlMs). */
  negativeTtlMs?: number;
  /** Long-poll hold time requested from MCIAS; default 25 s. */
  watchWaitS?: number;
  logger?: Logger;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
}

interface ValidateAnswer {
  valid: boolean;
  epoch?: number;
  username?: string;
  account_type?: AccountType;
  roles?: string[];
  token_id?: string;
  audience?: string;
  expires_at?: string;
}

interface RevocationPage {
  epoch: number;
  revoked: string[];
  /** Tokens still valid whose identity (roles) changed. */
  changed?: string[];
  reset: boolean;
}

function toError(res: JsonResponse): AppError {
  return responseError(res, "mcias_error");
}

export class AuthClient implements TokenValidator {
  private readonly http: JsonClient;
  private readonly cache = new ValidationCache();
  private readonly ttl: number;
  private readonly negativeTtl: number;
  /** Token ids revoked recently, to close the race between a validate call and a revocation. */
  private readonly recentlyRevoked = new Map<string, number>();
  /** Token ids whose identity changed recently: answered fresh, not cached, for a minute. */
  private readonly recentlyChanged = new Map<string, number>();
  private watching: AbortController | undefined;
  private watchLoop: Promise<void> | undefined;
  private epoch = -1;

  constructor(private readonly opts: AuthClientOptions) {
    this.http = new JsonClient(opts.serverUrl, opts.caCert);
    this.ttl = opts.cacheTtlMs ?? 30_000;
    this.negativeTtl = Math.min(opts.negativeTtlMs ?? 5_000, this.ttl);
  }

  async login(username: string, password: string, totpCode?: string): Promise<LoginResult> {
    const res = await this.http.request("POST", "/v1/auth/login", {
      body: {
        username,
        password,
        ...(totpCode ? { totp_code: totpCode } : {}),
        service_name: this.opts.serviceName,
        tags: this.opts.tags ?? [],
      },
    });
    if (res.status !== 200) throw toError(res);
    const b = res.body as { token: string; expires_at: string };
    return { token: b.token, expiresAt: new Date(b.expires_at) };
  }

  /** Exchanges a login token for a fresh one; the old token is revoked by MCIAS. */
  async renew(token: string): Promise<LoginResult> {
    const res = await this.http.request("POST", "/v1/auth/renew", { token });
    if (res.status !== 200) throw toError(res);
    this.cache.delete(tokenKey(token));
    const b = res.body as { token: string; expires_at: string };
    return { token: b.token, expiresAt: new Date(b.expires_at) };
  }

  async logout(token: string): Promise<void> {
    this.cache.delete(tokenKey(token));
    const res = await this.http.request("POST", "/v1/auth/logout", { token });
    if (res.status !== 200 && res.status !== 401) throw toError(res);
  }

  /** The caller's identity, or null when the token is invalid, expired or revoked. */
  async validate(token: string): Promise<Identity | null> {
    const key = tokenKey(token);
    const now = Date.now();
    const hit = this.cache.get(key, now);
    if (hit !== undefined) return hit;
    // MCIAS checks that the token was issued for this service (its login-policy context); the
    // answer's audience is checked here as well, so a token for any other service is refused
    // even by an MCIAS that ignored service_name.
    const res = await this.http.request("POST", "/v1/token/validate", {
      body: { token, service_name: this.opts.serviceName },
      timeoutMs: 5_000,
    });
    if (res.status !== 200) throw toError(res);
    const a = res.body as ValidateAnswer;
    if (!a.valid || !a.username || !a.account_type || a.audience !== this.opts.serviceName) {
      this.cache.set(key, null, now + this.negativeTtl);
      return null;
    }
    const identity: Identity = {
      username: a.username,
      accountType: a.account_type,
      roles: a.roles ?? [],
      ...(a.token_id ? { tokenId: a.token_id } : {}),
      ...(a.expires_at ? { expiresAt: new Date(a.expires_at) } : {}),
    };
    if (identity.tokenId && this.recentlyRevoked.has(identity.tokenId)) return null;
    if (identity.tokenId && this.recentlyChanged.has(identity.tokenId)) return identity;
    const until = Math.min(
      now + this.ttl,
      identity.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
    );
    this.cache.set(key, identity, until);
    return identity;
  }

  /** Starts the background long-poll that evicts revoked tokens; idempotent. */
  startRevocationWatch(): void {
    if (this.watching) return;
    const ctl = new AbortController();
    this.watching = ctl;
    this.watchLoop = this.watch(ctl.signal);
  }

  private async watch(signal: AbortSignal): Promise<void> {
    const waitS = this.opts.watchWaitS ?? 25;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const res = await this.http.request(
          "GET",
          `/v1/token/revocations?since=${this.epoch}&wait=${this.epoch < 0 ? 0 : waitS}`,
          { timeoutMs: (waitS + 10) * 1000, signal },
        );
        if (res.status !== 200) throw toError(res);
        this.apply(res.body as RevocationPage);
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        failures++;
        this.opts.logger?.warn(
          { err: { message: (err as Error).message }, failures },
          "MCIAS revocation watch failed; cached answers fall back to their TTL",
        );
        await new Promise((r) => setTimeout(r, Math.min(1000 * failures, 5000)));
      }
    }
  }

  private apply(page: RevocationPage): void {
    const now = Date.now();
    if (page.reset || (this.epoch >= 0 && page.epoch < this.epoch)) this.cache.clear();
    for (const jti of page.revoked) {
      this.cache.evictTokenId(jti);
      this.recentlyRevoked.set(jti, now);
    }
    for (const jti of page.changed ?? []) {
      this.cache.evictTokenId(jti);
      this.recentlyChanged.set(jti, now);
    }
    for (const recent of [this.recentlyRevoked, this.recentlyChanged])
      for (const [jti, at] of recent) if (now - at > 60_000) recent.delete(jti);
    this.epoch = page.epoch;
  }

  /** Stops the watch and closes connections. */
  async close(): Promise<void> {
    this.watching?.abort();
    await this.watchLoop?.catch(() => undefined);
    this.watching = undefined;
    this.http.close();
  }

  /** Current cache size (for metrics and tests). */
  get cachedAnswers(): number {
    return this.cache.size;
  }

  /** The revocation-feed epoch the watch has caught up to; -1 until its first answer (for tests). */
  get revocationEpoch(): number {
    return this.epoch;
  }
}
