// Finalize, download, revoke and renewal information. Finalize hands the CSR to the CA's one
// issue use case (ops.request "sign-csr" as the account's identity: profile, policy, audit,
// inventory); the CSR must name exactly the order's identifiers. Revocation is allowed to the
// account that ordered the certificate or to a request signed by the certificate's own key,
// and runs the CA's revoke use case as the ordering account's identity.

import { X509Certificate } from "node:crypto";
import { parseCsr } from "../ca/csr.ts";
import { REVOCATION_REASONS } from "../ca/inventory.ts";
import { x509 } from "../ca/x509.ts";
import { certIdOf, findByCertId } from "./cert-id.ts";
import type { AcmeDeps, AcmeReply, AcmeRequest } from "./context.ts";
import { publicJwk, thumbprint } from "./jws.ts";
import { ownOrder } from "./orders.ts";
import { only, requireEmpty } from "./payload.ts";
import { problem, toProblem } from "./problem.ts";
import { orderView } from "./resources.ts";
import { type IssuedCert, newId, type Order } from "./store.ts";

function der(p: Record<string, unknown>, key: string): Buffer {
  const v = p[key];
  if (typeof v !== "string" || !/^[A-Za-z0-9_-]{16,}$/.test(v))
    throw problem("malformed", `${key} must be base64url DER`);
  return Buffer.from(v, "base64url");
}

function csrPem(d: Buffer, o: Order): string {
  const pem = x509.PemConverter.encode(d, "CERTIFICATE REQUEST");
  const info = parseCsr(pem);
  const names = [...new Set(info.dns.map((n) => n.toLowerCase()))].sort();
  if (info.ips.length > 0 || names.join(",") !== o.identifiers.join(","))
    throw problem("badCSR", "the CSR must name exactly the order's identifiers");
  return pem;
}

async function issue(d: AcmeDeps, r: AcmeRequest, o: Order, pem: string): Promise<IssuedCert> {
  const issued = await d.ca.issue(r.account!.identity, r.mount, o.profile, pem);
  const cert = new x509.X509Certificate(issued.certificate);
  const rec: IssuedCert = {
    id: newId(),
    mount: r.mount,
    serial: issued.serial,
    account_id: r.account!.id,
    order_id: o.id,
    cert_id: certIdOf(cert),
    chain_pem: [issued.certificate, ...issued.chain].map((p) => `${p.trim()}\n`).join(""),
    not_before: cert.notBefore.toISOString(),
    not_after: cert.notAfter.toISOString(),
    replaced_by: null,
  };
  d.store.tx(() => {
    d.store.insertCert(rec);
    if (o.replaces) {
      const old = d.store.certByCertId(r.mount, o.replaces);
      if (old) d.store.markReplaced(old.id, o.id);
    }
    d.store.setOrder(o.id, "valid", null, rec.id);
  });
  return rec;
}

export async function finalize(d: AcmeDeps, r: AcmeRequest, id: string): Promise<AcmeReply> {
  const o = ownOrder(d, r, id);
  if (o.status !== "ready") throw problem("orderNotReady", `the order is ${o.status}`);
  const p = r.payload ?? {};
  only(p, ["csr"], "finalize");
  const pem = csrPem(der(p, "csr"), o);
  d.store.setOrder(o.id, "processing", null);
  try {
    const rec = await issue(d, r, o, pem);
    const done = { ...o, status: "valid" as const };
    return {
      status: 200,
      body: orderView(done, d.store.authzOf(o.id), rec.id, r.urls),
      location: r.urls.order(o.id),
    };
  } catch (e) {
    d.store.setOrder(o.id, "invalid", toProblem(e).problem.toJSON());
    throw e;
  }
}

export function download(d: AcmeDeps, r: AcmeRequest, id: string): AcmeReply {
  requireEmpty(r.payload, "a certificate");
  const c = d.store.cert(r.mount, id);
  if (!c || c.account_id !== r.account!.id) throw problem("malformed", "no such certificate");
  return { status: 200, body: c.chain_pem, contentType: "application/pem-certificate-chain" };
}

async function authorizeRevocation(r: AcmeRequest, c: IssuedCert, raw: Buffer) {
  if (r.account) {
    if (r.account.id !== c.account_id)
      throw problem("unauthorized", "only the ordering account or the certificate key may revoke");
    return;
  }
  const key = new X509Certificate(raw).publicKey.export({ format: "jwk" });
  if ((await thumbprint(publicJwk(key))) !== (await thumbprint(r.jwk)))
    throw problem("unauthorized", "the request is not signed by the certificate's key");
}

export async function revoke(d: AcmeDeps, r: AcmeRequest): Promise<AcmeReply> {
  const p = r.payload ?? {};
  only(p, ["certificate", "reason"], "revokeCert");
  const raw = der(p, "certificate");
  const reason = p.reason ?? 0;
  if (typeof reason !== "number" || !REVOCATION_REASONS.has(reason))
    throw problem("badRevocationReason", "reason must be an RFC 5280 code other than 7 and 8");
  let serial: string;
  try {
    serial = new x509.X509Certificate(raw).serialNumber.toLowerCase().replace(/^0+(?=.)/, "");
  } catch {
    throw problem("malformed", "certificate is not a readable X.509 certificate");
  }
  const c = d.store.certBySerial(r.mount, serial);
  const leaf = c?.chain_pem.split(/(?<=-----END CERTIFICATE-----\n)/)[0];
  if (!c || !leaf || !Buffer.from(new x509.X509Certificate(leaf).rawData).equals(raw))
    throw problem("unauthorized", "this certificate was not issued through this ACME server");
  await authorizeRevocation(r, c, raw);
  const owner = d.store.account(r.mount, c.account_id)!;
  await d.ca.revoke(owner.identity, r.mount, c.serial, reason);
  return { status: 200, body: "" };
}

/** RFC 9773: a window in the last third of the lifetime; now, when the certificate is revoked. */
export function renewalInfo(d: AcmeDeps, mount: string, certId: string): AcmeReply {
  const c = findByCertId(d, mount, certId);
  const nb = Date.parse(c.not_before);
  const na = Date.parse(c.not_after);
  const life = na - nb;
  const revoked = d.ca.isRevoked(mount, c.serial);
  const now = Date.now();
  const start = revoked ? now - 3_600_000 : na - life / 3;
  const end = revoked ? now : na - life / 6;
  return {
    status: 200,
    body: {
      suggestedWindow: {
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
      },
    },
    retryAfter: 21_600,
  };
}
