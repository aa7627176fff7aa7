// A software WebAuthn authenticator for tests: real keys (P-256 or Ed25519 via node:crypto),
// real CBOR (a minimal encoder written here, decoded by the server's own CBOR library), real
// authenticator data and "none" attestation. It keeps discoverable credentials like a passkey
// provider and can be told to misbehave (wrong origin or RP ID, bad signature, stale counter).
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor>;

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

export function cbor(v: Cbor): Buffer {
  if (typeof v === "number") return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === "string") {
    const s = Buffer.from(v, "utf8");
    return Buffer.concat([head(3, s.length), s]);
  }
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(cbor)]);
  const parts: Buffer[] = [head(5, v.size)];
  for (const [k, x] of v) parts.push(cbor(k), cbor(x));
  return Buffer.concat(parts);
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString("base64url");

export interface SoftCredential {
  id: Buffer;
  rpId: string;
  userHandle: string;
  alg: "ES256" | "EdDSA";
  privateKey: KeyObject;
  cose: Buffer;
  counter: number;
}

export interface Tamper {
  origin?: string;
  rpId?: string;
  badSignature?: boolean;
  /** Report this counter instead of advancing the stored one (a clone's stale counter). */
  counter?: number;
  /** Clear the user-verified flag. */
  noUserVerification?: boolean;
  /** Omit userHandle from the assertion. */
  noUserHandle?: boolean;
}

function coseKey(alg: SoftCredential["alg"], publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  const x = Buffer.from(jwk.x!, "base64url");
  if (alg === "EdDSA")
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 1],
        [3, -8],
        [-1, 6],
        [-2, x],
      ]),
    );
  const y = Buffer.from(jwk.y!, "base64url");
  return cbor(
    new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, x],
      [-3, y],
    ]),
  );
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(
    readonly origin: string,
    readonly alg: SoftCredential["alg"] = "ES256",
  ) {}

  private authData(rpId: string, flags: number, counter: number, attested?: SoftCredential) {
    const parts: Buffer[] = [createHash("sha256").update(rpId).digest(), Buffer.from([flags])];
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    parts.push(c);
    if (attested) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(attested.id.length);
      parts.push(Buffer.alloc(16), len, attested.id, attested.cose);
    }
    return Buffer.concat(parts);
  }

  private clientData(type: string, challenge: string, t: Tamper): Buffer {
    return Buffer.from(
      JSON.stringify({ type, challenge, origin: t.origin ?? this.origin, crossOrigin: false }),
    );
  }

  /** navigator.credentials.create() with options JSON as MCIAS sends them. */
  // biome-ignore lint/suspicious/noExplicitAny: options JSON straight off the wire
  create(options: any, t: Tamper = {}) {
    const { publicKey, privateKey } =
      this.alg === "EdDSA"
        ? generateKeyPairSync("ed25519")
        : generateKeyPairSync("ec", { namedCurve: "P-256" });
    const rpId = t.rpId ?? options.rp.id;
    const cred: SoftCredential = {
      id: randomBytes(16),
      rpId: options.rp.id,
      userHandle: options.user.id,
      alg: this.alg,
      privateKey,
      cose: coseKey(this.alg, publicKey),
      counter: 1,
    };
    const flags = 0x01 | (t.noUserVerification ? 0 : 0x04) | 0x40;
    const authData = this.authData(rpId, flags, cred.counter, cred);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    this.credentials.push(cred);
    return {
      id: b64u(cred.id),
      rawId: b64u(cred.id),
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(this.clientData("webauthn.create", options.challenge, t)),
        attestationObject: b64u(attestationObject),
        transports: ["internal"],
      },
    };
  }

  /** navigator.credentials.get(): picks an allowed credential, or any discoverable one. */
  // biome-ignore lint/suspicious/noExplicitAny: options JSON straight off the wire
  get(options: any, t: Tamper = {}, pick?: SoftCredential) {
    const allowed: string[] = (options.allowCredentials ?? []).map((c: { id: string }) => c.id);
    const cred =
      pick ??
      this.credentials.find(
        (c) => c.rpId === options.rpId && (allowed.length === 0 || allowed.includes(b64u(c.id))),
      );
    if (!cred) throw new Error("NotAllowedError: no matching credential");
    const counter = t.counter ?? ++cred.counter;
    const flags = 0x01 | (t.noUserVerification ? 0 : 0x04);
    const authData = this.authData(t.rpId ?? options.rpId, flags, counter);
    const clientData = this.clientData("webauthn.get", options.challenge, t);
    const signed = Buffer.concat([authData, createHash("sha256").update(clientData).digest()]);
    const signature =
      cred.alg === "EdDSA"
        ? sign(null, signed, cred.privateKey)
        : sign("sha256", signed, cred.privateKey);
    if (t.badSignature)
      signature.writeUInt8(signature.readUInt8(signature.length - 3) ^ 0x55, signature.length - 3);
    return {
      id: b64u(cred.id),
      rawId: b64u(cred.id),
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        ...(t.noUserHandle ? {} : { userHandle: cred.userHandle }),
      },
    };
  }
}
