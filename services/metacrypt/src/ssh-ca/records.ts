// What the SSH CA engine keeps in its mount, as JSON documents.
import type { MountStore } from "../barrier/mount-store.ts";
import type { CaKeyType } from "./ca-key.ts";
import type { CertificateFields } from "./certificate.ts";

export interface SshCaConfig {
  keyType: CaKeyType;
  maxTtlSeconds: number;
}

/** One issued certificate (public data only). Serials are decimal strings (uint64). */
export interface CertificateRecord extends Omit<CertificateFields, "subject" | "serial"> {
  serial: string;
  /** SHA256 fingerprint of the certified key. */
  keyFingerprint: string;
  /** The certificate as an OpenSSH line ("<type>-cert-v01@openssh.com base64 keyid"). */
  certificate: string;
  issuedAt: number;
  revoked: boolean;
}

export interface KrlState {
  version: number;
  generated: number;
  revokedSerials: string[];
  revokedKeyIds: string[];
  /** Base64 public key blobs. */
  revokedKeys: string[];
}

export type RevokeTarget =
  | { kind: "serial"; serial: string }
  | { kind: "key-id"; keyId: string }
  | { kind: "key"; publicKey: string };

/** Zero-padded so that a lexical listing is in issuance order. */
export const serialPath = (serial: bigint): string =>
  `certs/${serial.toString().padStart(20, "0")}`;

export function readJson<T>(store: MountStore, path: string): T | undefined {
  const b = store.get(path);
  return b === undefined ? undefined : (JSON.parse(b.toString("utf8")) as T);
}

export function writeJson<T>(store: MountStore, path: string, value: T): void {
  store.put(path, Buffer.from(JSON.stringify(value), "utf8"));
}
