// Issuance profiles: which names a leaf may carry, for how long, with which key usages, signed by
// which issuer. A name outside allowed_names, or a wildcard the profile does not allow, is refused.

import { AppError } from "@metacircular/mcdsl/errors";
import { z } from "zod";
import type { MountStore } from "../barrier/mount-store.ts";
import { matchAny } from "../names/name-pattern.ts";
import type { KeyType } from "./keys.ts";
import { listJson, readJson, writeJson } from "./records.ts";
import { x509 } from "./x509.ts";

const KU = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
} as const;
const EKU = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
  codeSigning: x509.ExtendedKeyUsage.codeSigning,
  emailProtection: x509.ExtendedKeyUsage.emailProtection,
} as const;

export const profileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/),
  issuer: z.string().min(1),
  allowed_names: z.array(z.string().min(1)).min(1),
  allow_wildcards: z.boolean().default(false),
  allow_ip_sans: z.boolean().default(false),
  max_ttl_days: z.number().int().min(1).max(3650),
  key_usages: z
    .array(z.enum(Object.keys(KU) as [keyof typeof KU]))
    .default(["digitalSignature", "keyEncipherment"]),
  ext_key_usages: z.array(z.enum(Object.keys(EKU) as [keyof typeof EKU])).default(["serverAuth"]),
});
export type Profile = z.infer<typeof profileSchema>;

export function putProfile(store: MountStore, p: Profile): Profile {
  writeJson(store, `profiles/${p.name}`, p);
  return p;
}

export function getProfile(store: MountStore, name: string): Profile {
  const p = readJson<Profile>(store, `profiles/${name}`);
  if (!p) throw AppError.notFound("profile_not_found", `no profile named ${name}`);
  return p;
}

export function listProfiles(store: MountStore): Profile[] {
  return listJson<Profile>(store, "profiles/");
}

/** Refuses any name the profile does not cover (the error names the first offender). */
export function checkNames(p: Profile, dns: string[], ips: string[]): void {
  for (const n of dns) {
    if (n.startsWith("*.") && !p.allow_wildcards)
      throw AppError.forbidden(
        `profile ${p.name} does not allow wildcard names (${n})`,
        "wildcard_not_allowed",
      );
    if (!matchAny(p.allowed_names, n))
      throw AppError.forbidden(`${n} is outside profile ${p.name}`, "name_not_allowed");
  }
  if (ips.length > 0 && !p.allow_ip_sans)
    throw AppError.forbidden(`profile ${p.name} does not allow IP addresses`, "ip_not_allowed");
}

/**
 * The key usages a leaf key of each type may carry: RSA (RFC 3279 §2.3.1) no keyAgreement; EC
 * (RFC 5480 §3) no keyEncipherment or dataEncipherment; Ed25519 (RFC 8410 §5) signatures only.
 */
const KU_OF_KEY: Record<"rsa" | "ec" | "ed25519", number> = {
  rsa: KU.digitalSignature | KU.nonRepudiation | KU.keyEncipherment | KU.dataEncipherment,
  ec: KU.digitalSignature | KU.nonRepudiation | KU.keyAgreement,
  ed25519: KU.digitalSignature | KU.nonRepudiation,
};

/** The profile's usages that the key type admits; none left is `key_usage_mismatch`. */
export function leafUsages(p: Profile, keyType: KeyType): { ku: number; eku: string[] } {
  const kind = keyType === "ed25519" ? "ed25519" : keyType.startsWith("ec-") ? "ec" : "rsa";
  const ku = p.key_usages.reduce((acc, k) => acc | KU[k], 0) & KU_OF_KEY[kind];
  if (ku === 0)
    throw AppError.badRequest(
      "key_usage_mismatch",
      `profile ${p.name} allows no key usage a ${keyType} key may have`,
    );
  return { ku, eku: p.ext_key_usages.map((e) => EKU[e]) };
}
