// ARI certificate identifiers (RFC 9773 §4.1): base64url(AKI keyIdentifier) "." base64url(the
// DER INTEGER contents of the serial). Computed from the certificate, looked up in acme_certs.

import { x509 } from "../ca/x509.ts";
import type { AcmeDeps, AcmeRequest } from "./context.ts";
import { AcmeProblem, problem } from "./problem.ts";
import type { IssuedCert } from "./store.ts";

function serialBytes(hex: string): Buffer {
  let h = hex.length % 2 ? `0${hex}` : hex;
  if (Number.parseInt(h.slice(0, 2), 16) >= 0x80) h = `00${h}`;
  return Buffer.from(h, "hex");
}

export function certIdOf(cert: x509.X509Certificate): string {
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  if (!aki?.keyId) throw problem("malformed", "the certificate has no authority key identifier");
  const a = Buffer.from(aki.keyId, "hex").toString("base64url");
  return `${a}.${serialBytes(cert.serialNumber).toString("base64url")}`;
}

const CERT_ID = /^[A-Za-z0-9_-]{1,128}\.[A-Za-z0-9_-]{1,64}$/;

export function findByCertId(d: AcmeDeps, mount: string, certId: string): IssuedCert {
  if (!CERT_ID.test(certId)) throw problem("malformed", "not an ARI certificate identifier");
  const c = d.store.certByCertId(mount, certId);
  if (!c)
    throw new AcmeProblem("malformed", "no certificate with this identifier", { status: 404 });
  return c;
}

/** The certificate a `replaces` names, which must have been issued to the same account. */
export function certIdOwnedBy(d: AcmeDeps, r: AcmeRequest, certId: string): IssuedCert {
  const c = findByCertId(d, r.mount, certId);
  if (c.account_id !== r.account!.id)
    throw problem("unauthorized", "that certificate was issued to another account");
  return c;
}
