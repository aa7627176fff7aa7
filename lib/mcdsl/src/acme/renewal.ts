// ARI (RFC 9773): the certificate identifier (base64url of the AKI key identifier "." base64url
// of the serial's DER INTEGER bytes) and the "should renew now" decision: inside or past the
// server's suggested window, or, without ARI, 30 days before expiry.

import type { AcmeClient } from "./client.ts";
import { x509 } from "./x509.ts";

const DAY = 86_400_000;
export const FALLBACK_DAYS = 30;

function serialBytes(hex: string): Buffer {
  let h = hex.length % 2 ? `0${hex}` : hex;
  if (Number.parseInt(h.slice(0, 2), 16) >= 0x80) h = `00${h}`;
  return Buffer.from(h, "hex");
}

/** The leaf of a PEM chain (or a single certificate). */
export function leafCertificate(pem: string): x509.X509Certificate {
  const first = pem.split(/(?<=-----END CERTIFICATE-----)/)[0]!;
  return new x509.X509Certificate(first.trim());
}

/** The ARI id of a certificate given as PEM or DER. */
export function ariCertId(pemOrDer: string | Uint8Array): string {
  const cert =
    typeof pemOrDer === "string" ? leafCertificate(pemOrDer) : new x509.X509Certificate(pemOrDer);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  if (!aki?.keyId) throw new Error("the certificate has no authority key identifier");
  const a = Buffer.from(aki.keyId, "hex").toString("base64url");
  return `${a}.${serialBytes(cert.serialNumber).toString("base64url")}`;
}

export interface RenewDecision {
  renew: boolean;
  /** When renewal becomes due. */
  at: Date;
  source: "ari" | "fallback";
}

export async function shouldRenew(
  client: AcmeClient,
  certPem: string,
  now: Date = new Date(),
): Promise<RenewDecision> {
  const cert = leafCertificate(certPem);
  const window = await client
    .renewalInfo(ariCertId(new Uint8Array(cert.rawData)))
    .catch(() => undefined);
  const at = window ? window.start : new Date(cert.notAfter.getTime() - FALLBACK_DAYS * DAY);
  return { renew: now >= at, at, source: window ? "ari" : "fallback" };
}
