// The transit engine of one mount: cryptography as a service with named, versioned keys. Callers
// send plaintext or input and get back "metacrypt:v<N>:..." strings; the engine keeps keys only.
// Pure domain: REST/gRPC authorize and translate (base64 <-> Buffer); errors are AppErrors.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import type { MountStore } from "../barrier/mount-store.ts";
import { type BatchResult, runBatch } from "./batch.ts";
import { formatVersioned, parseVersioned } from "./ciphertext.ts";
import {
  mac,
  open,
  type SignHash,
  seal,
  signWith,
  type TransitKeyType,
  verifyWith,
} from "./key-material.ts";
import { type KeyInfo, Keyring, type KeyVersion } from "./keyring.ts";

/** Largest plaintext or input of one operation. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

export interface EncryptRequest {
  plaintext: Buffer;
  /** Additional authenticated data: must be given again, unchanged, to decrypt. */
  context?: Buffer;
  /** Default: the latest version. */
  keyVersion?: number;
}
export interface DecryptRequest {
  ciphertext: string;
  context?: Buffer;
}
export interface RewrapRequest extends DecryptRequest {
  keyVersion?: number;
}
export interface SignRequest {
  input: Buffer;
  keyVersion?: number;
  /** ECDSA only; default sha256 for P-256, sha384 for P-384. */
  hashAlgorithm?: SignHash;
}
export interface VerifyRequest {
  input: Buffer;
  signature: string;
  hashAlgorithm?: SignHash;
}
export interface HmacRequest {
  input: Buffer;
  keyVersion?: number;
  /** Default sha256. */
  algorithm?: SignHash;
}
export interface VerifyHmacRequest {
  input: Buffer;
  hmac: string;
  algorithm?: SignHash;
}

export interface Sealed {
  ciphertext: string;
  keyVersion: number;
}

const HASHES: readonly SignHash[] = ["sha256", "sha384", "sha512"];

function checkInput(b: unknown, what: string): Buffer {
  if (!Buffer.isBuffer(b)) throw AppError.badRequest("invalid_input", `${what} must be bytes`);
  if (b.length > MAX_INPUT_BYTES) {
    throw AppError.badRequest("input_too_large", `${what} is larger than ${MAX_INPUT_BYTES} bytes`);
  }
  return b;
}

function checkHash(h: SignHash | undefined): SignHash | undefined {
  if (h !== undefined && !HASHES.includes(h)) {
    throw AppError.badRequest("invalid_hash", `hash must be one of ${HASHES.join(", ")}`);
  }
  return h;
}

/** The AAD without a context, per resolved version (a batch resolves each version once). */
const bareAad = new WeakMap<KeyVersion, Buffer>();

/** Binds a ciphertext to its key name, version and the caller's context. */
function aad(k: KeyVersion, context: Buffer | undefined): Buffer {
  const bare = context === undefined ? bareAad.get(k) : undefined;
  if (bare) return bare;
  const v = Buffer.alloc(4);
  v.writeUInt32BE(k.version);
  const ctx = context === undefined ? Buffer.alloc(0) : checkInput(context, "context");
  const out = Buffer.concat([Buffer.from(`metacrypt-transit\0${k.name}\0`), v, ctx]);
  if (context === undefined) bareAad.set(k, out);
  return out;
}

function aeadType(k: KeyVersion): "aes256-gcm" | "chacha20-poly1305" {
  if (k.type === "aes256-gcm" || k.type === "chacha20-poly1305") return k.type;
  throw AppError.internal("transit key of the wrong type for encryption");
}

export class TransitEngine {
  private readonly keys: Keyring;

  constructor(store: MountStore, now: () => number = Date.now) {
    this.keys = new Keyring(store, now);
  }

  createKey(name: string, opts: { type: TransitKeyType }): KeyInfo {
    return this.keys.create(name, opts.type);
  }
  getKey(name: string): KeyInfo {
    return this.keys.get(name);
  }
  listKeys(): string[] {
    return this.keys.list();
  }
  /** A new latest version; older versions keep decrypting down to minDecryptionVersion. */
  rotateKey(name: string): KeyInfo {
    return this.keys.rotate(name);
  }
  configureKey(
    name: string,
    opts: { minDecryptionVersion?: number; deletionAllowed?: boolean },
  ): KeyInfo {
    return this.keys.configure(name, opts);
  }
  /** Refused unless the key was configured with deletionAllowed. */
  deleteKey(name: string): void {
    this.keys.delete(name);
  }

  encrypt(name: string, req: EncryptRequest): Sealed {
    const plaintext = checkInput(req.plaintext, "plaintext");
    const k = this.keys.resolve(name, "encryption", req.keyVersion);
    const sealed = seal(aeadType(k), k.material, plaintext, aad(k, req.context));
    return { ciphertext: formatVersioned(k.version, sealed), keyVersion: k.version };
  }

  decrypt(name: string, req: DecryptRequest): { plaintext: Buffer } {
    const { version, payload } = parseVersioned(req.ciphertext, "ciphertext");
    const k = this.keys.resolve(name, "encryption", version);
    return { plaintext: open(aeadType(k), k.material, payload, aad(k, req.context)) };
  }

  /** Decrypt and encrypt again under the latest (or given) version; the plaintext never leaves. */
  rewrap(name: string, req: RewrapRequest): Sealed {
    const { plaintext } = this.decrypt(name, req);
    const out = this.encrypt(name, { plaintext, context: req.context, keyVersion: req.keyVersion });
    plaintext.fill(0);
    return out;
  }

  /** A fresh random data key, returned wrapped (and in the clear only when asked). */
  dataKey(
    name: string,
    req: { bits?: 128 | 256 | 512; includePlaintext?: boolean; context?: Buffer } = {},
  ): Sealed & { plaintext?: Buffer } {
    const bits = req.bits ?? 256;
    if (bits !== 128 && bits !== 256 && bits !== 512) {
      throw AppError.badRequest("invalid_bits", "data keys have 128, 256 or 512 bits");
    }
    const key = randomBytes(bits / 8);
    const sealed = this.encrypt(name, { plaintext: key, context: req.context });
    if (req.includePlaintext) return { ...sealed, plaintext: key };
    key.fill(0);
    return sealed;
  }

  sign(name: string, req: SignRequest): { signature: string; keyVersion: number } {
    const input = checkInput(req.input, "input");
    const k = this.keys.resolve(name, "signing", req.keyVersion);
    const sig = signWith(k.type, k.material, input, checkHash(req.hashAlgorithm));
    return { signature: formatVersioned(k.version, sig), keyVersion: k.version };
  }

  verify(name: string, req: VerifyRequest): { valid: boolean } {
    const input = checkInput(req.input, "input");
    const { version, payload } = parseVersioned(req.signature, "signature");
    const k = this.keys.resolve(name, "signing", version);
    return { valid: verifyWith(k.type, k.material, input, payload, checkHash(req.hashAlgorithm)) };
  }

  hmac(name: string, req: HmacRequest): { hmac: string; keyVersion: number } {
    const input = checkInput(req.input, "input");
    const k = this.keys.resolve(name, "hmac", req.keyVersion);
    const tag = mac(k.material, input, checkHash(req.algorithm) ?? "sha256");
    return { hmac: formatVersioned(k.version, tag), keyVersion: k.version };
  }

  /** Constant-time comparison against a freshly computed HMAC of the same version. */
  verifyHmac(name: string, req: VerifyHmacRequest): { valid: boolean } {
    const input = checkInput(req.input, "input");
    const { version, payload } = parseVersioned(req.hmac, "hmac");
    const k = this.keys.resolve(name, "hmac", version);
    const expected = mac(k.material, input, checkHash(req.algorithm) ?? "sha256");
    return { valid: expected.length === payload.length && timingSafeEqual(expected, payload) };
  }

  encryptBatch(name: string, items: readonly EncryptRequest[]): Array<BatchResult<Sealed>> {
    return this.keys.once(() => runBatch(items, (i) => this.encrypt(name, i)));
  }
  decryptBatch(
    name: string,
    items: readonly DecryptRequest[],
  ): Array<BatchResult<{ plaintext: Buffer }>> {
    return this.keys.once(() => runBatch(items, (i) => this.decrypt(name, i)));
  }
  rewrapBatch(name: string, items: readonly RewrapRequest[]): Array<BatchResult<Sealed>> {
    return this.keys.once(() => runBatch(items, (i) => this.rewrap(name, i)));
  }
  signBatch(name: string, items: readonly SignRequest[]) {
    return this.keys.once(() => runBatch(items, (i) => this.sign(name, i)));
  }
  verifyBatch(name: string, items: readonly VerifyRequest[]) {
    return this.keys.once(() => runBatch(items, (i) => this.verify(name, i)));
  }
  hmacBatch(name: string, items: readonly HmacRequest[]) {
    return this.keys.once(() => runBatch(items, (i) => this.hmac(name, i)));
  }
}
