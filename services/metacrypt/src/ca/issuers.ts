// Roots and intermediates of one CA mount. The root is self-signed; an intermediate is signed by
// the root (or by another intermediate). Both are CA:TRUE with keyCertSign and cRLSign.

import { createPrivateKey, type KeyObject } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import type { MountStore } from "../barrier/mount-store.ts";
import {
  exportPkcs8,
  generateKey,
  importSigningKey,
  type KeyType,
  signingAlgorithm,
} from "./keys.ts";
import { type IssuerRecord, listJson, readJson, writeJson } from "./records.ts";
import { newSerial } from "./serial.ts";
import { type CryptoKey, type CryptoKeyPair, x509 } from "./x509.ts";

const DAY = 86_400_000;
export const ROOT = "root";

export interface NewIssuer {
  name: string;
  key_type: KeyType;
  common_name: string;
  ttl_days: number;
  /** Signer; absent for the root. */
  parent?: string;
  path_len?: number;
}

export interface LoadedIssuer {
  record: IssuerRecord;
  cert: x509.X509Certificate;
  key: CryptoKey;
  /** The same private key for node:crypto's synchronous sign (leaf-builder.ts). */
  keyObject: KeyObject;
  /** The leaves' authority key identifier (fixed per issuer certificate). */
  aki: x509.AuthorityKeyIdentifierExtension;
  /** PEM chain up to the root (issuers never change once created). */
  chain: string[];
}

export function getIssuer(store: MountStore, name: string): IssuerRecord {
  const r = readJson<IssuerRecord>(store, `issuers/${name}`);
  if (!r) throw AppError.notFound("issuer_not_found", `no issuer named ${name}`);
  return r;
}

export function listIssuers(store: MountStore): IssuerRecord[] {
  return listJson<IssuerRecord>(store, "issuers/");
}

/**
 * Parsed certificates, imported keys, AKI extensions and chains of recently used issuers
 * (parsing, importing and re-reading cost about 3 ms of CPU per issuance). Keyed by the certificate itself, so a re-created mount or
 * issuer never hits a stale entry; emptied on every seal (app.ts), since it holds private keys.
 */
const loaded = new Map<string, LoadedIssuer>();
const CACHE_MAX = 64;

export function clearIssuerCache(): void {
  loaded.clear();
}

export async function loadIssuer(store: MountStore, name: string): Promise<LoadedIssuer> {
  const record = getIssuer(store, name);
  const hit = loaded.get(record.cert_pem);
  if (hit && hit.record.key_pkcs8 === record.key_pkcs8) return hit;
  const pkcs8 = Buffer.from(record.key_pkcs8, "base64");
  const key = await importSigningKey(record.key_type, pkcs8);
  const keyObject = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const cert = new x509.X509Certificate(record.cert_pem);
  const aki = await x509.AuthorityKeyIdentifierExtension.create(cert);
  const issuer = { record, cert, key, keyObject, aki, chain: chainPem(store, name) };
  if (loaded.size >= CACHE_MAX) loaded.clear();
  loaded.set(record.cert_pem, issuer);
  return issuer;
}

function caExtensions(keys: CryptoKeyPair, pathLen: number | undefined) {
  return Promise.all([
    Promise.resolve(new x509.BasicConstraintsExtension(true, pathLen, true)),
    Promise.resolve(
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
    ),
    x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ]);
}

export async function createIssuer(store: MountStore, req: NewIssuer): Promise<IssuerRecord> {
  if (readJson(store, `issuers/${req.name}`))
    throw AppError.conflict("issuer_exists", `issuer ${req.name} already exists`);
  if (!req.parent && req.name !== ROOT)
    throw AppError.badRequest("bad_issuer", "only the root issuer is self-signed");
  const keys = await generateKey(req.key_type);
  const ext: x509.Extension[] = await caExtensions(keys, req.path_len);
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + req.ttl_days * DAY);
  const name = `CN=${req.common_name.replace(/[,+=\\"<>;]/g, "\\$&")}`;
  let cert: x509.X509Certificate;
  if (!req.parent) {
    cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: newSerial(),
      name,
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: signingAlgorithm(req.key_type),
      extensions: ext,
    });
  } else {
    const parent = await loadIssuer(store, req.parent);
    if (notAfter > parent.cert.notAfter)
      throw AppError.badRequest("ttl_too_long", "an intermediate cannot outlive its issuer");
    ext.push(await x509.AuthorityKeyIdentifierExtension.create(parent.cert));
    cert = await x509.X509CertificateGenerator.create({
      serialNumber: newSerial(),
      subject: name,
      issuer: parent.cert.subjectName,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: parent.key,
      signingAlgorithm: signingAlgorithm(parent.record.key_type),
      extensions: ext,
    });
  }
  const record: IssuerRecord = {
    name: req.name,
    key_type: req.key_type,
    cert_pem: cert.toString("pem"),
    key_pkcs8: (await exportPkcs8(keys.privateKey)).toString("base64"),
    parent: req.parent ?? null,
    created_at: new Date().toISOString(),
  };
  writeJson(store, `issuers/${req.name}`, record);
  return record;
}

/** PEM chain from an issuer up to (and including) the root. */
export function chainPem(store: MountStore, name: string): string[] {
  const out: string[] = [];
  let cur: string | null = name;
  while (cur && out.length < 10) {
    const r = getIssuer(store, cur);
    out.push(r.cert_pem.endsWith("\n") ? r.cert_pem : `${r.cert_pem}\n`);
    cur = r.parent;
  }
  return out;
}
