// The CRL of one issuer: every certificate it issued that is revoked, signed by the issuer's key,
// valid for a day (rebuilt on every request, so it reflects a revocation at once). Its CRL number
// (RFC 5280 §5.2.3, required) is thisUpdate in milliseconds, one more than the last when two
// fall in the same millisecond: it rises with every build, across restarts too, with no state.

import { AsnConvert } from "@peculiar/asn1-schema";
import { CRLNumber, id_ce_cRLNumber } from "@peculiar/asn1-x509";
import type { MountStore } from "../barrier/mount-store.ts";
import { revokedBy } from "./inventory.ts";
import { loadIssuer } from "./issuers.ts";
import { signingAlgorithm } from "./keys.ts";
import { x509 } from "./x509.ts";

let lastNumber = 0;

function crlNumberExtension(now: Date): x509.Extension {
  lastNumber = Math.max(now.getTime(), lastNumber + 1);
  const der = AsnConvert.serialize(new CRLNumber(lastNumber));
  return new x509.Extension(id_ce_cRLNumber, false, der);
}

export async function buildCrl(store: MountStore, issuerName: string): Promise<Buffer> {
  const issuer = await loadIssuer(store, issuerName);
  const now = new Date();
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.cert.subjectName,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + 86_400_000),
    signingKey: issuer.key,
    signingAlgorithm: signingAlgorithm(issuer.record.key_type),
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(issuer.cert),
      crlNumberExtension(now),
    ],
    entries: revokedBy(store, issuerName).map((c) => ({
      serialNumber: c.serial,
      revocationDate: new Date(c.revoked_at!),
      reason: c.revocation_reason ?? 0,
    })),
  });
  return Buffer.from(crl.rawData);
}
