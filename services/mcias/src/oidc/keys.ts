// RS256 keys for OpenID Connect ID tokens. MCIAS's own tokens are EdDSA, but OIDC requires
// every provider to support RS256 and not every relying party speaks EdDSA (mod_auth_openidc's
// cjose does not), so ID tokens get their own ring, published in the same JWKS. Rotation works
// like the Ed25519 ring: the newest unretired key signs; retired keys stay published until
// every ID token they signed has expired (plus a day for relying parties' JWKS caches).
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
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
    if (!this.keys.some((k) => k.retiredAt === null)) this.rotate();
  }

  private reload(): void {
    const cutoff = this.now() - this.idTokenTtlMs - DAY_MS;
    const rows = this.db
      .prepare(
        "SELECT kid, private_pem, public_jwk, retired_at FROM oidc_signing_keys WHERE alg = 'RS256' AND (retired_at IS NULL OR retired_at > ?) ORDER BY created_at",
      )
      .all(cutoff) as {
      kid: string;
      private_pem: string;
      public_jwk: string;
      retired_at: number | null;
    }[];
    this.keys = rows.map((r) => ({
      kid: r.kid,
      privateKey: createPrivateKey(r.private_pem),
      jwk: JSON.parse(r.public_jwk) as RsaPublicJwk,
      retiredAt: r.retired_at,
    }));
  }

  /** Creates a new RSA-2048 signing key and retires the previous one (still published). */
  rotate(): string {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = `rs-${randomBytes(12).toString("base64url")}`;
    const raw = publicKey.export({ format: "jwk" }) as { n: string; e: string };
    const jwk: RsaPublicJwk = { kty: "RSA", n: raw.n, e: raw.e, kid, use: "sig", alg: "RS256" };
    const ts = this.now();
    this.db.transaction(() => {
      this.db
        .prepare("UPDATE oidc_signing_keys SET retired_at = ? WHERE retired_at IS NULL")
        .run(ts);
      this.db
        .prepare(
          "INSERT INTO oidc_signing_keys (kid, alg, private_pem, public_jwk, created_at) VALUES (?, 'RS256', ?, ?, ?)",
        )
        .run(kid, privateKey.export({ format: "pem", type: "pkcs8" }), JSON.stringify(jwk), ts);
    })();
    this.reload();
    return kid;
  }

  /** Signs a JWT (RS256, compact JWS) with the current key. */
  signJwt(payload: object): string {
    const k = this.keys.find((x) => x.retiredAt === null);
    if (!k) throw new Error("no current OIDC signing key");
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const input = `${b64({ alg: "RS256", typ: "JWT", kid: k.kid })}.${b64(payload)}`;
    return `${input}.${sign("sha256", Buffer.from(input), k.privateKey).toString("base64url")}`;
  }

  /** The public half of a published key (tests and id_token_hint checks). */
  publicKey(kid: string): KeyObject | undefined {
    const k = this.keys.find((x) => x.kid === kid);
    return k ? createPublicKey(k.privateKey) : undefined;
  }

  jwks(): RsaPublicJwk[] {
    return this.keys.map((k) => k.jwk);
  }
}
