// Metacrypt's ACME server against the real lego client: http-01 and tls-alpn-01 issuance with
// External Account Binding (one key from `metacryptctl acme eab`, one from curl), forced renewal,
// revocation (and a second revocation refused), a name outside policy refused, a CA:TRUE CSR refused; every chain passes `openssl verify`,
// and revocations show in the CRL and in `openssl ocsp`.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ACME_NAMES, type AcmeServer, caTrueCsr, startAcmeServer } from "./helpers/acme.ts";
import { hasCert, leafOf, lego, legoLifecycle } from "./helpers/lego.ts";
import { crlText, ocspStatus, type RevocationView, verifyChain } from "./helpers/revocation.ts";

let s: AcmeServer;
let view: RevocationView;

before(async () => {
  s = await startAcmeServer();
  view = s.view;
});
after(() => s?.stop());

function legoDir(name: string): string {
  const p = join(s.h.dir, name);
  mkdirSync(p, { recursive: true });
  return p;
}

async function issueRenewRevoke(name: string, solver: string[], eabVia: "curl" | "cli") {
  const eab = await s.eab("tok-alice", eabVia);
  const path = legoDir(`lego-${name}`);
  const o = { directory: s.directory, path, tlsCa: s.tls.certPath, eab, solver };
  const r = await legoLifecycle(o, name, {
    verify: (crt) => verifyChain(view, crt),
    async isRevoked(crt, serial) {
      const ocsp = await ocspStatus(view, leafOf(crt));
      const inCrl = (await crlText(view)).toLowerCase().includes(serial);
      assert.equal(/: revoked/.test(ocsp), inCrl, "OCSP and the CRL agree");
      return inCrl;
    },
  });
  assert.deepEqual(
    { ...r, secondRevokeOutput: /alreadyRevoked/.test(r.secondRevokeOutput) },
    { issued: true, renewedSerialChanged: true, revoked: true, secondRevokeOutput: true },
  );
}

test("lego http-01 with EAB from metacryptctl acme eab: issue, renew, revoke, revoke again refused", async () => {
  await issueRenewRevoke(
    ACME_NAMES[0]!,
    ["--http", "--http.port", `127.0.0.1:${s.httpPort}`],
    "cli",
  );
});

test("lego tls-alpn-01 with EAB: issue, renew, revoke", async () => {
  await issueRenewRevoke(ACME_NAMES[1]!, ["--tls", "--tls.port", `127.0.0.1:${s.tlsPort}`], "curl");
});

test("a name outside the profile and policy is refused with rejectedIdentifier", async () => {
  const eab = await s.eab();
  const o = {
    directory: s.directory,
    path: legoDir("lego-outside"),
    tlsCa: s.tls.certPath,
    eab,
    solver: ["--http", "--http.port", `127.0.0.1:${s.httpPort}`],
  };
  const r = await lego(o, ["x.other.test"], ["run"]);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /rejectedIdentifier/);
  assert.equal(hasCert(o.path, "x.other.test"), false);
});

test("a CSR asking for CA:TRUE is refused (lego --csr with an openssl CSR)", async () => {
  const name = ACME_NAMES[2]!;
  const dir = legoDir("lego-ca-true");
  const csr = await caTrueCsr(dir, name);
  const o = {
    directory: s.directory,
    path: dir,
    tlsCa: s.tls.certPath,
    eab: await s.eab(),
    solver: ["--http", "--http.port", `127.0.0.1:${s.httpPort}`],
  };
  const r = await lego(o, [], ["--csr", csr, "run"]);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /badCSR/);
  assert.match(r.out, /CA:TRUE/);
});
