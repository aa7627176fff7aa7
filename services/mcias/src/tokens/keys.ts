// Ed25519 signing keys. The newest unretired key signs; retired keys keep verifying until
// every token they could have signed has expired, so rotation never invalidates live tokens.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import type { Db } from "../db/open.ts";

export interface PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  use: "sig";
  alg: "EdDSA";
}

interface KeyRow {
  kid: string;
  private_pem: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
}

interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: PublicJwk;
  createdAt: number;
  retiredAt: number | null;
}

export class KeyRing {
  private keys = new Map<string, LoadedKey>();
  private current!: LoadedKey;

  constructor(
    private readonly db: Db,
    /** Longest token lifetime in ms: how long a retired key keeps verifying. */
    private readonly maxTokenTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.reload();
    if (!this.hasCurrent()) this.rotate();
  }

  private hasCurrent(): boolean {
    return [...this.keys.values()].some((k) => k.retiredAt === null);
  }

  private reload(): void {
    this.keys.clear();
    const cutoff = this.now() - this.maxTokenTtlMs;
    const rows = this.db
      .prepare(
        "SELECT * FROM signing_keys WHERE retired_at IS NULL OR retired_at > ? ORDER BY created_at",
      )
      .all(cutoff) as KeyRow[];
    for (const r of rows) {
      const privateKey = createPrivateKey(r.private_pem);
      const k: LoadedKey = {
        kid: r.kid,
        privateKey,
        publicKey: createPublicKey(privateKey),
        jwk: JSON.parse(r.public_jwk) as PublicJwk,
        createdAt: r.created_at,
        retiredAt: r.retired_at,
      };
      this.keys.set(r.kid, k);
      if (r.retired_at === null) this.current = k;
    }
  }

  /** Creates a new signing key and retires the previous one (it still verifies). */
  rotate(): string {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const kid = randomBytes(12).toString("base64url");
    const raw = publicKey.export({ format: "jwk" }) as { x: string };
    const jwk: PublicJwk = { kty: "OKP", crv: "Ed25519", x: raw.x, kid, use: "sig", alg: "EdDSA" };
    const ts = this.now();
    this.db.transaction(() => {
      this.db.prepare("UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL").run(ts);
      this.db
        .prepare(
          "INSERT INTO signing_keys (kid, private_pem, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, NULL)",
        )
        .run(kid, privateKey.export({ format: "pem", type: "pkcs8" }), JSON.stringify(jwk), ts);
    })();
    this.reload();
    return kid;
  }

  signingKey(): { kid: string; key: KeyObject } {
    return { kid: this.current.kid, key: this.current.privateKey };
  }

  verificationKey(kid: string): KeyObject | undefined {
    const k = this.keys.get(kid);
    if (!k) return undefined;
    if (k.retiredAt !== null && k.retiredAt + this.maxTokenTtlMs < this.now()) return undefined;
    return k.publicKey;
  }

  jwks(): { keys: PublicJwk[] } {
    return { keys: [...this.keys.values()].map((k) => k.jwk) };
  }
}
