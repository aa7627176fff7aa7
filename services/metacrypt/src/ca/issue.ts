// Issuing a leaf: from a CSR (sign-csr) or with a key generated here (issue). The profile decides
// names, lifetime and usages; the certificate is in the inventory before it is returned.

import { isIP } from "node:net";
import { AppError } from "@metacircular/mcdsl/errors";
import { z } from "zod";
import type { MountStore } from "../barrier/mount-store.ts";
import { checkDnsName } from "../names/name-pattern.ts";
import { parseCsr, verifyCsr } from "./csr.ts";
import { loadIssuer } from "./issuers.ts";
import { generateLeafKey, type KeyType, keyType, keyTypeOfSpki } from "./keys.ts";
import { buildLeaf, subjectKeyIdentifier } from "./leaf-builder.ts";
import { type LeafUrls, leafUrlExtensions } from "./leaf-urls.ts";
import { checkNames, getProfile, leafUsages } from "./profiles.ts";
import { type CertRecord, writeJson } from "./records.ts";
import { newSerial } from "./serial.ts";
import { x509 } from "./x509.ts";

const DAY = 86_400_000;

export const issueRequest = z.strictObject({
  profile: z.string().min(1),
  common_name: z.string().min(1).optional(),
  dns_names: z.array(z.string().min(1)).max(100).default([]),
  ip_addresses: z.array(z.string().refine((s) => isIP(s) !== 0, "not an IP address")).default([]),
  ttl_days: z.number().int().min(1).optional(),
  key_type: keyType.default("ec-p256"),
});
export const signRequest = issueRequest.omit({ key_type: true }).extend({ csr: z.string().min(1) });
export type IssueRequest = z.infer<typeof issueRequest>;
export type SignRequest = z.infer<typeof signRequest>;

export interface Issued {
  serial: string;
  certificate: string;
  chain: string[];
  not_after: string;
  private_key?: string;
}

/** Every DNS name a request asks for (validated, lower-case, de-duplicated). */
export function requestedNames(
  r: { common_name?: string | undefined; dns_names: string[] },
  extra: string[] = [],
): string[] {
  const raw = [
    ...(r.common_name && !isIP(r.common_name) ? [r.common_name] : []),
    ...r.dns_names,
    ...extra,
  ];
  return [...new Set(raw.map(checkDnsName))];
}

export function csrNames(r: SignRequest): { dns: string[]; ips: string[] } {
  const info = parseCsr(r.csr);
  return {
    dns: requestedNames(r, info.dns),
    ips: [...new Set([...r.ip_addresses, ...info.ips])],
  };
}

export async function issueWithKey(
  store: MountStore,
  requester: string,
  r: IssueRequest,
  urls?: LeafUrls,
): Promise<Issued> {
  const key = await generateLeafKey(r.key_type);
  const names = { dns: requestedNames(r), ips: r.ip_addresses };
  const spki = new Uint8Array(key.spki).buffer;
  const issued = await sign(store, requester, r, { spki, type: r.key_type }, names, urls);
  return { ...issued, private_key: key.pkcs8Pem };
}

export async function issueFromCsr(
  store: MountStore,
  requester: string,
  r: SignRequest,
  urls?: LeafUrls,
): Promise<Issued> {
  const info = parseCsr(r.csr);
  const pub = await verifyCsr(info);
  // Only the key types the CA issues with: RSA below 2048 bits is weak_key, other curves
  // (P-521, secp256k1 cannot even be imported) and Ed448 are unsupported_key.
  const type = keyTypeOfSpki(pub.algorithm);
  const spki = (await x509.PublicKey.create(pub)).rawData;
  return sign(store, requester, r, { spki, type }, csrNames(r), urls);
}

async function sign(
  store: MountStore,
  requester: string,
  r: { profile: string; common_name?: string | undefined; ttl_days?: number | undefined },
  { spki, type }: { spki: ArrayBuffer; type: KeyType },
  { dns, ips }: { dns: string[]; ips: string[] },
  urls: LeafUrls | undefined,
): Promise<Issued> {
  if (dns.length + ips.length === 0)
    throw AppError.badRequest("no_names", "a certificate needs at least one name");
  const profile = getProfile(store, r.profile);
  checkNames(profile, dns, ips);
  const ttl = r.ttl_days ?? profile.max_ttl_days;
  if (ttl > profile.max_ttl_days)
    throw AppError.badRequest(
      "ttl_too_long",
      `profile ${profile.name} allows at most ${profile.max_ttl_days} days`,
    );
  const issuer = await loadIssuer(store, profile.issuer);
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + ttl * DAY);
  if (notAfter > issuer.cert.notAfter)
    throw AppError.badRequest("ttl_too_long", "the certificate would outlive its issuer");
  const { ku, eku } = leafUsages(profile, type);
  const names = [
    ...dns.map((v) => ({ type: "dns" as const, value: v })),
    ...ips.map((v) => ({ type: "ip" as const, value: v })),
  ];
  const serial = newSerial();
  const cn = r.common_name ?? dns[0] ?? ips[0]!;
  const cert = buildLeaf(
    {
      serialHex: serial,
      subject: `CN=${cn.replace(/[,+=\\"<>;]/g, "\\$&")}`,
      issuer: issuer.cert.subjectName,
      notBefore,
      notAfter,
      spki,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(ku, true),
        ...(eku.length > 0 ? [new x509.ExtendedKeyUsageExtension(eku, false)] : []),
        new x509.SubjectAlternativeNameExtension(names, false),
        subjectKeyIdentifier(spki),
        issuer.aki,
        ...leafUrlExtensions(urls, profile.issuer),
      ],
    },
    { key: issuer.keyObject, keyType: issuer.record.key_type },
  );
  const record: CertRecord = {
    serial,
    common_name: cn,
    names: [...dns, ...ips],
    requester,
    profile: profile.name,
    issuer: profile.issuer,
    not_before: notBefore.toISOString(),
    not_after: notAfter.toISOString(),
    cert_pem: cert.pem,
    issued_at: new Date().toISOString(),
  };
  writeJson(store, `certs/${serial}`, record);
  return {
    serial,
    certificate: record.cert_pem,
    chain: issuer.chain,
    not_after: record.not_after,
  };
}
