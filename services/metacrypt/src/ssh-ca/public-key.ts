// arch: parser
// OpenSSH public keys as clients hand them in (one authorized_keys line: "type base64 [comment]").
// The blob is taken apart field by field and checked, so a certificate never wraps a key sshd
// would refuse; node:crypto imports the key to reject points off the curve.
import { createHash, createPublicKey } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import { WireReader } from "./wire.ts";

export type SshKeyType =
  | "ssh-ed25519"
  | "ecdsa-sha2-nistp256"
  | "ecdsa-sha2-nistp384"
  | "ecdsa-sha2-nistp521"
  | "ssh-rsa"
  | "sk-ssh-ed25519@openssh.com"
  | "sk-ecdsa-sha2-nistp256@openssh.com";

export interface SshPublicKey {
  type: SshKeyType;
  /** The wire-format public key blob (what fingerprints and KRLs hash). */
  blob: Buffer;
  comment: string;
}

const CURVES: Record<string, { name: string; jwk: string; size: number }> = {
  "ecdsa-sha2-nistp256": { name: "nistp256", jwk: "P-256", size: 32 },
  "ecdsa-sha2-nistp384": { name: "nistp384", jwk: "P-384", size: 48 },
  "ecdsa-sha2-nistp521": { name: "nistp521", jwk: "P-521", size: 66 },
  "sk-ecdsa-sha2-nistp256@openssh.com": { name: "nistp256", jwk: "P-256", size: 32 },
};

const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 16384;
const MAX_LINE = 16 * 1024;

function bad(message: string): AppError {
  return AppError.badRequest("malformed_key", message);
}

const b64u = (b: Buffer): string => b.toString("base64url");

function checkEd25519(r: WireReader): void {
  const pk = r.string("ed25519 key");
  if (pk.length !== 32) throw bad("an Ed25519 key is 32 bytes");
  importKey({ kty: "OKP", crv: "Ed25519", x: b64u(pk) });
}

function checkEcdsa(type: string, r: WireReader): void {
  const curve = CURVES[type];
  if (!curve) throw bad(`unknown curve for ${type}`);
  if (r.text("curve name") !== curve.name) throw bad(`${type} carries another curve`);
  const q = r.string("EC point");
  if (q.length !== 1 + 2 * curve.size || q[0] !== 4) throw bad("EC point is not uncompressed");
  const x = q.subarray(1, 1 + curve.size);
  const y = q.subarray(1 + curve.size);
  importKey({ kty: "EC", crv: curve.jwk, x: b64u(x), y: b64u(y) });
}

function checkRsa(r: WireReader): void {
  const e = r.mpint("RSA exponent");
  const n = r.mpint("RSA modulus");
  const bits = n.length * 8 - Math.clz32(n[0] ?? 0) + 24;
  if (bits < MIN_RSA_BITS) throw bad(`RSA keys must have at least ${MIN_RSA_BITS} bits`);
  if (bits > MAX_RSA_BITS) throw bad(`RSA keys have at most ${MAX_RSA_BITS} bits`);
  if (e.length === 0 || e.length > 8 || ((e.at(-1) as number) & 1) === 0) {
    throw bad("RSA exponent is not a small odd number");
  }
  importKey({ kty: "RSA", e: b64u(e), n: b64u(n) });
}

function importKey(jwk: Record<string, string>): void {
  try {
    createPublicKey({ key: jwk, format: "jwk" });
  } catch (cause) {
    throw new AppError(400, "malformed_key", "the public key is not a valid key", { cause });
  }
}

/** Check a wire-format public key blob and return its key type. */
export function checkKeyBlob(blob: Buffer): SshKeyType {
  const r = new WireReader(blob);
  const type = r.text("key type");
  switch (type) {
    case "ssh-ed25519":
      checkEd25519(r);
      break;
    case "sk-ssh-ed25519@openssh.com":
      checkEd25519(r);
      r.text("application");
      break;
    case "ecdsa-sha2-nistp256":
    case "ecdsa-sha2-nistp384":
    case "ecdsa-sha2-nistp521":
      checkEcdsa(type, r);
      break;
    case "sk-ecdsa-sha2-nistp256@openssh.com":
      checkEcdsa(type, r);
      r.text("application");
      break;
    case "ssh-rsa":
      checkRsa(r);
      break;
    default:
      throw AppError.badRequest("unsupported_key_type", `key type ${type} is not supported`);
  }
  r.end("public key");
  return type;
}

/** Parse one authorized_keys-style line ("type base64 [comment]"), options not allowed. */
export function parsePublicKey(line: string): SshPublicKey {
  if (typeof line !== "string") throw bad("a public key is one line of text");
  if (line.length > MAX_LINE) throw bad("public key line is too long");
  const fields = line.trim().split(/[ \t]+/);
  const [typeName, data] = fields;
  if (typeName === undefined || data === undefined) throw bad("expected 'type base64 [comment]'");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw bad("key data is not base64");
  const blob = Buffer.from(data, "base64");
  if (blob.toString("base64") !== data) throw bad("key data is not canonical base64");
  const type = checkKeyBlob(blob);
  if (type !== typeName) throw bad(`line says ${typeName} but the key is ${type}`);
  return { type, blob, comment: fields.slice(2).join(" ") };
}

/** The OpenSSH SHA256 fingerprint ("SHA256:" + unpadded base64), as `ssh-keygen -l` prints. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The authorized_keys line of a blob. */
export function formatPublicKey(type: string, blob: Buffer, comment = ""): string {
  return `${type} ${blob.toString("base64")}${comment === "" ? "" : ` ${comment}`}`;
}
