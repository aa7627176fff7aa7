// mcdsl's ACME client against Debian's Pebble (a real process): EAB account, http-01 through
// the in-process responder, dns-01 through hooks into pebble-challtestsrv, finalize with a
// generated key + CSR, download, renewal decision (Pebble 2.4 has no ARI: the 30-day
// fallback), revocation by the certificate's key, account deactivation.

import assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { after, before, test } from "node:test";
import {
  createTestCA,
  freePort,
  type MockDns,
  makeTempDir,
  type Pebble,
  startMockDns,
  startPebble,
  type TempDir,
  type TestCA,
} from "@metacircular/testkit";
import {
  AcmeClient,
  AcmeError,
  dns01Solver,
  generateAccountKey,
  type Http01Responder,
  http01Solver,
  importAccountKey,
  leafCertificate,
  obtainCertificate,
  shouldRenew,
  startHttp01Responder,
} from "../src/acme/index.ts";

let tmp: TempDir;
let tls: TestCA;
let dns: MockDns;
let pebble: Pebble;
let responder: Http01Responder;

before(async () => {
  tmp = makeTempDir("mcdsl-acme-");
  tls = createTestCA("mcdsl ACME test");
  dns = await startMockDns();
  responder = await startHttp01Responder(await freePort());
  pebble = await startPebble({
    dir: tmp.path,
    tls,
    httpPort: responder.port,
    tlsPort: await freePort(),
    dnsServer: dns.addr,
  });
});
after(async () => {
  await pebble?.stop();
  await dns?.stop();
  await responder?.close();
  tls?.remove();
  tmp?.remove();
});

async function client(): Promise<AcmeClient> {
  const c = new AcmeClient({
    directoryUrl: pebble.directory,
    accountKey: await generateAccountKey(),
    ca: tls.cert,
  });
  await c.account({ eab: { kid: pebble.eab.kid, hmacKey: pebble.eab.hmac_key } });
  return c;
}

test("http-01: obtain, fallback renewal decision, revoke by certificate key", async () => {
  const c = await client();
  const got = await obtainCertificate(c, {
    names: ["one.acme.test", "two.acme.test"],
    solvers: [http01Solver(responder)],
  });
  const leaf = leafCertificate(got.certificate);
  const san = new X509Certificate(got.certificate).subjectAltName ?? "";
  assert.deepEqual(san.split(", ").sort(), ["DNS:one.acme.test", "DNS:two.acme.test"]);
  const decision = await shouldRenew(c, got.certificate);
  assert.equal(decision.source, "fallback");
  assert.equal(decision.at.getTime(), leaf.notAfter.getTime() - 30 * 86_400_000);
  const certKey = await importAccountKey(
    createPrivateKey(got.privateKey).export({ format: "pem", type: "pkcs8" }) as string,
  );
  await c.revoke(Buffer.from(leaf.rawData), { certKey });
  assert.equal(await pebble.certStatus(leaf.serialNumber), "Revoked");
  await assert.rejects(c.revoke(Buffer.from(leaf.rawData)), (e: unknown) => {
    assert.ok(e instanceof AcmeError);
    assert.equal(e.kind, "alreadyRevoked");
    return true;
  });
});

test("dns-01 through hooks (wildcard), then the account is deactivated", async () => {
  const c = await client();
  const got = await obtainCertificate(c, {
    names: ["*.wild.acme.test"],
    solvers: [
      http01Solver(responder),
      dns01Solver({
        present: (name, value) => dns.setTxt(`_acme-challenge.${name}`, value),
        cleanup: async () => {},
      }),
    ],
  });
  assert.match(got.certificate, /BEGIN CERTIFICATE/);
  await c.deactivate();
  await assert.rejects(c.newOrder({ names: ["three.acme.test"] }), AcmeError);
});
