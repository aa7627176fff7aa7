// A wildcard certificate from Metacrypt through mcdsl's ACME client: dns-01 with the TXT record
// served by pebble-challtestsrv (Metacrypt's dns_resolver). Metacrypt counts a CSR's CN as one
// of its names (RFC 8555 §7.4), so the client's CSR must carry the wildcard itself as CN, not a
// stand-in; a name longer than 64 characters goes without a CN.

import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { after, before, test } from "node:test";
import { dns01Solver, keyAndCsr, obtainCertificate } from "@metacircular/mcdsl/acme";
import { type MockDns, startMockDns } from "@metacircular/testkit";
import { x509 } from "../src/ca/x509.ts";
import { type AcmeServer, startAcmeServer } from "./helpers/acme.ts";

let dns: MockDns;
let s: AcmeServer;

before(async () => {
  dns = await startMockDns();
  s = await startAcmeServer({ dnsResolver: dns.addr });
});
after(async () => {
  await s?.stop();
  await dns?.stop();
});

test("mcdsl's client obtains *.acme.test over dns-01; its CSR's CN is one of its names", async () => {
  const c = await s.account();
  const got = await obtainCertificate(c, {
    names: ["*.acme.test"],
    solvers: [
      dns01Solver({
        present: (name, value) => dns.setTxt(`_acme-challenge.${name}`, value),
        cleanup: async () => {},
      }),
    ],
  });
  const leaf = new X509Certificate(got.certificate);
  assert.equal(leaf.subjectAltName, "DNS:*.acme.test");
  assert.equal(leaf.subject, "CN=*.acme.test");

  const long = `${"a".repeat(60)}.acme.test`;
  const req = new x509.Pkcs10CertificateRequest((await keyAndCsr([long, "b.acme.test"])).csrDer);
  assert.equal(req.subject, "", "no CN beyond 64 characters");
});
