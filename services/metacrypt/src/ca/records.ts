// What a CA mount stores (JSON inside its encrypted MountStore):
//   issuers/<name>   an issuing certificate and its PKCS#8 key
//   profiles/<name>  an issuance profile
//   certs/<serial>   every certificate issued (the inventory), with its revocation

import type { MountStore } from "../barrier/mount-store.ts";
import type { KeyType } from "./keys.ts";

export interface IssuerRecord {
  name: string;
  key_type: KeyType;
  cert_pem: string;
  key_pkcs8: string; // base64
  /** The issuer that signed this one; null for the root. */
  parent: string | null;
  created_at: string;
}

export interface CertRecord {
  serial: string; // lower-case hex
  common_name: string;
  names: string[];
  requester: string;
  profile: string;
  issuer: string;
  not_before: string;
  not_after: string;
  cert_pem: string;
  issued_at: string;
  revoked_at?: string;
  revocation_reason?: number;
}

export function readJson<T>(store: MountStore, path: string): T | undefined {
  const v = store.get(path);
  return v === undefined ? undefined : (JSON.parse(v.toString("utf8")) as T);
}

export function writeJson(store: MountStore, path: string, value: unknown): void {
  store.put(path, Buffer.from(JSON.stringify(value), "utf8"));
}

export function listJson<T>(store: MountStore, prefix: string): T[] {
  return store.list(prefix).map((p) => readJson<T>(store, p)!);
}
