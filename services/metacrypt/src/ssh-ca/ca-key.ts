// The CA's own key: generation, its OpenSSH public key blob and SSH signatures (RFC 8709 for
// Ed25519, RFC 5656 for ECDSA, RFC 8332 rsa-sha2-512 for RSA: never SHA-1, which sshd refuses).
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { WireWriter } from "./wire.ts";

export const CA_KEY_TYPES = [
  "ed25519",
  "ecdsa-p256",
  "ecdsa-p384",
  "rsa-3072",
  "rsa-4096",
] as const;
export type CaKeyType = (typeof CA_KEY_TYPES)[number];

export function generateCaKey(type: CaKeyType): KeyObject {
  switch (type) {
    case "ed25519":
      return generateKeyPairSync("ed25519").privateKey;
    case "ecdsa-p256":
      return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    case "ecdsa-p384":
      return generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;
    case "rsa-3072":
      return generateKeyPairSync("rsa", { modulusLength: 3072 }).privateKey;
    case "rsa-4096":
      return generateKeyPairSync("rsa", { modulusLength: 4096 }).privateKey;
  }
}

const EC_NAMES: Record<string, { ssh: string; curve: string; hash: string }> = {
  "P-256": { ssh: "ecdsa-sha2-nistp256", curve: "nistp256", hash: "sha256" },
  "P-384": { ssh: "ecdsa-sha2-nistp384", curve: "nistp384", hash: "sha384" },
  "P-521": { ssh: "ecdsa-sha2-nistp521", curve: "nistp521", hash: "sha512" },
};

function ecInfo(key: KeyObject): { ssh: string; curve: string; hash: string } {
  const crv = key.export({ format: "jwk" }).crv ?? "";
  const info = EC_NAMES[crv];
  if (!info) throw new Error(`unsupported EC curve ${crv}`);
  return info;
}

const jwkBytes = (v: string | undefined): Buffer => Buffer.from(v ?? "", "base64url");

/** The OpenSSH key type name and wire blob of a (public or private) node key. */
export function sshPublicBlob(key: KeyObject): { type: string; blob: Buffer } {
  const jwk = key.export({ format: "jwk" });
  const w = new WireWriter();
  switch (key.asymmetricKeyType) {
    case "ed25519":
      w.string("ssh-ed25519").string(jwkBytes(jwk.x));
      return { type: "ssh-ed25519", blob: w.toBuffer() };
    case "ec": {
      const { ssh, curve } = ecInfo(key);
      const q = Buffer.concat([Buffer.from([4]), jwkBytes(jwk.x), jwkBytes(jwk.y)]);
      w.string(ssh).string(curve).string(q);
      return { type: ssh, blob: w.toBuffer() };
    }
    case "rsa":
      w.string("ssh-rsa").mpint(jwkBytes(jwk.e)).mpint(jwkBytes(jwk.n));
      return { type: "ssh-rsa", blob: w.toBuffer() };
    default:
      throw new Error(`unsupported CA key type ${key.asymmetricKeyType}`);
  }
}

/** An SSH signature blob (string algorithm, string signature) over `data`. */
export function sshSign(key: KeyObject, data: Buffer): Buffer {
  const w = new WireWriter();
  switch (key.asymmetricKeyType) {
    case "ed25519":
      return w
        .string("ssh-ed25519")
        .string(sign(null, data, key))
        .toBuffer();
    case "ec": {
      const { ssh, hash } = ecInfo(key);
      const rs = sign(hash, data, { key, dsaEncoding: "ieee-p1363" });
      const half = rs.length / 2;
      const inner = new WireWriter()
        .mpint(rs.subarray(0, half))
        .mpint(rs.subarray(half))
        .toBuffer();
      return w.string(ssh).string(inner).toBuffer();
    }
    case "rsa":
      return w
        .string("rsa-sha2-512")
        .string(sign("sha512", data, key))
        .toBuffer();
    default:
      throw new Error(`unsupported CA key type ${key.asymmetricKeyType}`);
  }
}
