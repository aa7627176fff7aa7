// Where relying parties find a leaf's revocation status: with [ca] public_base_url set, every
// leaf carries a CRL distribution point (this mount's CRL of its issuer) and an OCSP responder
// URL in its Authority Information Access; both are the public routes of the REST API.
import { z } from "zod";
import { x509 } from "./x509.ts";

/** The [ca] section of metacrypt.toml. */
export const caSection = z.strictObject({
  /** The public URL of this API (e.g. https://metacrypt.svc.mcp.metacircular.net), no trailing /. */
  public_base_url: z
    .url()
    .refine(
      (u) => /^https?:\/\//.test(u) && !u.endsWith("/"),
      "an http(s) URL without a trailing /",
    )
    .optional(),
});

export interface LeafUrls {
  base: string;
  mount: string;
}

export function crlUrl(u: LeafUrls, issuer: string): string {
  return `${u.base}/v1/ca/${u.mount}/crl/${issuer}`;
}

export function ocspUrl(u: LeafUrls): string {
  return `${u.base}/v1/ca/${u.mount}/ocsp`;
}

export function leafUrlExtensions(u: LeafUrls | undefined, issuer: string): x509.Extension[] {
  if (!u) return [];
  return [
    new x509.CRLDistributionPointsExtension([crlUrl(u, issuer)]),
    new x509.AuthorityInfoAccessExtension({ ocsp: [ocspUrl(u)] }),
  ];
}
