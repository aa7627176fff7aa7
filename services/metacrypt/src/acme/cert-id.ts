// ARI certificate identifiers (RFC 9773 §4.1): base64url(AKI keyIdentifier) "." base64url(the
// DER INTEGER contents of the serial), computed by mcdsl/acme (the client uses the same) and
// looked up in acme_certs.

import { ariCertId } from "@metacircular/mcdsl/acme";
import type { x509 } from "../ca/x509.ts";
import type { AcmeDeps, AcmeRequest } from "./context.ts";
import { AcmeProblem, problem } from "./problem.ts";
import type { IssuedCert } from "./store.ts";

export function certIdOf(cert: x509.X509Certificate): string {
  return ariCertId(new Uint8Array(cert.rawData));
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
