// The OpenSSH certificate encoding (PROTOCOL.certkeys): the subject's key fields wrapped with a
// nonce, serial, type, key id, principals, validity, critical options and extensions, then signed
// by the CA. The key-specific fields of a certificate are exactly the subject blob after its type.
import { type KeyObject, randomBytes } from "node:crypto";
import { sshPublicBlob, sshSign } from "./ca-key.ts";
import type { SshPublicKey } from "./public-key.ts";
import { WireReader, WireWriter } from "./wire.ts";

export type CertType = "user" | "host";

export interface CertificateFields {
  subject: SshPublicKey;
  serial: bigint;
  certType: CertType;
  keyId: string;
  principals: string[];
  /** Seconds since the epoch. */
  validAfter: number;
  validBefore: number;
  /** name -> value ("" for a flag). */
  criticalOptions: Record<string, string>;
  extensions: Record<string, string>;
}

/** "ssh-ed25519" -> "ssh-ed25519-cert-v01@openssh.com" (and the sk- types likewise). */
export function certTypeName(keyType: string): string {
  return `${keyType.replace(/@openssh\.com$/, "")}-cert-v01@openssh.com`;
}

/** Options and extensions: sorted by name, each a name string and a data string. */
export function encodeOptions(options: Record<string, string>): Buffer {
  const w = new WireWriter();
  for (const name of Object.keys(options).sort()) {
    const value = options[name] ?? "";
    w.string(name).string(
      value === "" ? Buffer.alloc(0) : new WireWriter().string(value).toBuffer(),
    );
  }
  return w.toBuffer();
}

function encodePrincipals(principals: string[]): Buffer {
  const w = new WireWriter();
  for (const p of principals) w.string(p);
  return w.toBuffer();
}

/** Encode and sign a certificate; returns the certificate blob. */
export function encodeCertificate(f: CertificateFields, ca: KeyObject): Buffer {
  const subject = new WireReader(f.subject.blob);
  subject.string("key type");
  const keyFields = f.subject.blob.subarray(f.subject.blob.length - subject.remaining);
  const body = new WireWriter()
    .string(certTypeName(f.subject.type))
    .string(randomBytes(32))
    .raw(keyFields)
    .uint64(f.serial)
    .uint32(f.certType === "user" ? 1 : 2)
    .string(f.keyId)
    .string(encodePrincipals(f.principals))
    .uint64(BigInt(f.validAfter))
    .uint64(BigInt(f.validBefore))
    .string(encodeOptions(f.criticalOptions))
    .string(encodeOptions(f.extensions))
    .string(Buffer.alloc(0))
    .string(sshPublicBlob(ca).blob)
    .toBuffer();
  return new WireWriter().raw(body).string(sshSign(ca, body)).toBuffer();
}
