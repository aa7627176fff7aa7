// RS256 keys for OpenID Connect ID tokens. MCIAS's own tokens are EdDSA, but OIDC requires
// every provider to support RS256 and not every relying party speaks EdDSA (mod_auth_openidc's
// cjose does not), so ID tokens get their own ring, published in the same JWKS.
// Relying parties cache the JWKS (openid-client refetches an unknown kid only after 60 s,
// others after an hour), so the next key is published before it signs: the ring always holds
// the current key and a pre-published next one. Rotation promotes next to current, retires
// the old current (still published until every ID token it signed has expired, plus a day for
// caches) and pre-publishes a fresh next key.
import {
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from "node:crypto";
import type { Db } from "../db/open.ts";

export interface RsaPublicJwk {
  kty: "RSA";
  n: string;
  e: string;
  kid: string;
  use: "sig";
  alg: "RS256";
}

interface Loaded {
  kid: string;
  privateKey: KeyObject;
  jwk: RsaPublicJwk;
  activatedAt: number | null;
  retiredAt: number | null;
}

const DAY_MS = 86_400_000;

export class OidcKeyRing {
  private keys: Loaded[] = [];

  constructor(
    private readonly db: Db,
    /** Longest ID-token lifetime in ms: how long a retired key stays published. */
    private readonly idTokenTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.reload();
    if (!this.current()) this.rotate();
    else if (!this.next()) {
      this.insert(null);
      this.reload();
    }
  }

  private current(): Loaded | undefined {
    return this.keys.find((k) => k.activatedAt !== null && k.retiredAt === null);
  }

  private next(): Loaded | undefined {
    return this.keys.find((k) => k.activatedAt === null);
  }

  private reload(): void {
    const cutoff = this.now() - this.idTokenTtlMs - DAY_MS;
    const rows = this.db
      .prepare(
        "SELECT kid, private_pem, public_jwk, activated_at, retired_at FROM oidc_signing_keys WHERE alg = 'RS256' AND (retired_at IS NULL OR retired_at > ?) ORDER BY created_at",
      )
      .all(cutoff) as {
      kid: string;
      private_pem: string;
      public_jwk: string;
      activated_at: number | null;
      retired_at: number | null;
    }[];
    this.keys = rows.map((r) => ({
      kid: r.kid,
      privateKey: createPrivateKey(r.private_pem),
      jwk: JSON.parse(r.public_jwk) as RsaPublicJwk,
      activatedAt: r.activated_at,
      retiredAt: r.retired_at,
    }));
  }

  private insert(activatedAt: number | null): void {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = `rs-${randomBytes(12).toString("base64url")}`;
    const raw = publicKey.export({ format: "jwk" }) as { n: string; e: string };
    const jwk: RsaPublicJwk = { kty: "RSA", n: raw.n, e: raw.e, kid, use: "sig", alg: "RS256" };
    this.db
      .prepare(
        "INSERT INTO oidc_signing_keys (kid, alg, private_pem, public_jwk, created_at, activated_at) VALUES (?, 'RS256', ?, ?, ?, ?)",
      )
      .run(
        kid,
        privateKey.export({ format: "pem", type: "pkcs8" }),
        JSON.stringify(jwk),
        this.now(),
        activatedAt,
      );
  }

  /**
   * Promotes the pre-published next key to signing, retires the previous one (still
   * published) and pre-publishes a new next key. Returns the kid now signing.
   */
  rotate(): string {
    const ts = this.now();
    this.db.transaction(() => {
      this.db
        .prepare(
          "UPDATE oidc_signing_keys SET retired_at = ? WHERE activated_at IS NOT NULL AND retired_at IS NULL",
        )
        .run(ts);
      const promoted = this.db
        .prepare("UPDATE oidc_signing_keys SET activated_at = ? WHERE activated_at IS NULL")
        .run(ts);
      if (promoted.changes === 0) this.insert(ts);
      this.insert(null);
    })();
    this.reload();
    return this.current()!.kid;
  }

  /** Signs a JWT (RS256, compact JWS) with the current key. */
  signJwt(payload: object): string {
    const k = this.current();
    if (!k) throw new Error("no current OIDC signing key");
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const input = `${b64({ alg: "RS256", typ: "JWT", kid: k.kid })}.${b64(payload)}`;
    return `${input}.${sign("sha256", Buffer.from(input), k.privateKey).toString("base64url")}`;
  }

  /**
   * The payload of an RS256 JWT signed by one of the published keys, or undefined. Only the
   * signature is checked: callers decide about claims (an expired ID token is still a fine
   * id_token_hint at logout).
   */
  verifyJwt(token: string): Record<string, unknown> | undefined {
    const parts = token.split(".");
    if (parts.length !== 3 || token.length > 16_384) return undefined;
    try {
      const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as {
        alg?: unknown;
        kid?: unknown;
      };
      const k = this.keys.find((x) => x.kid === header.kid);
      if (!k || header.alg !== "RS256") return undefined;
      const input = Buffer.from(`${parts[0]}.${parts[1]}`);
      if (!verify("sha256", input, k.privateKey, Buffer.from(parts[2]!, "base64url")))
        return undefined;
      const payload: unknown = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
      return payload !== null && typeof payload === "object" && !Array.isArray(payload)
        ? (payload as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }

  jwks(): RsaPublicJwk[] {
    return this.keys.map((k) => k.jwk);
  }
}
