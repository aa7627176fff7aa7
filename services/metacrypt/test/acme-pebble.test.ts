// The same lego runs against Metacrypt and against Debian's Pebble 2.4 (the reference test
// server), side by side, so behavioural differences show. Both validate through the same
// ports; Pebble resolves names through pebble-challtestsrv, which also serves the dns-01 TXT
// records (through lego's exec provider) that Metacrypt's dns-01 resolver reads.
//
// Differences found (also in README.md "ACME"):
// - names outside policy: Metacrypt refuses at newOrder (rejectedIdentifier); Pebble issues.
// - a CSR asking for CA:TRUE: Metacrypt refuses at finalize (badCSR); Pebble issues a leaf.
// - revocation status: Metacrypt publishes it (CRL, OCSP); Pebble only on its management API.
// - EAB keys: Pebble's are fixed in its config; Metacrypt's are made per MCIAS caller and
//   bind one account each.

import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type MockDns, type Pebble, startMockDns, startPebble } from "@metacircular/testkit";
import { type AcmeServer, caTrueCsr, startAcmeServer } from "./helpers/acme.ts";
import { hasCert, type LegoOptions, leafOf, lego, legoLifecycle } from "./helpers/lego.ts";
import { openssl } from "./helpers/openssl.ts";
import { crlText, ocspStatus, verifyChain } from "./helpers/revocation.ts";
import { run } from "./helpers/run.ts";

let dns: MockDns;
let s: AcmeServer;
let pebble: Pebble;

interface Target {
  name: "metacrypt" | "pebble";
  options(tag: string, solver: string[]): Promise<LegoOptions>;
  verify(crt: string): Promise<string>;
  isRevoked(crt: string, serial: string): Promise<boolean>;
}
const targets: Target[] = [];

function dir(tag: string): string {
  const p = join(s.h.dir, tag);
  mkdirSync(p, { recursive: true });
  return p;
}

before(async () => {
  dns = await startMockDns();
  s = await startAcmeServer({ dnsResolver: dns.addr });
  pebble = await startPebble({
    dir: s.h.dir,
    tls: s.tls,
    httpPort: s.httpPort,
    tlsPort: s.tlsPort,
    dnsServer: dns.addr,
  });
  const view = s.view;
  targets.push(
    {
      name: "metacrypt",
      options: async (tag, solver) => ({
        directory: s.directory,
        path: dir(`mc-${tag}`),
        tlsCa: s.tls.certPath,
        eab: await s.eab(),
        solver,
      }),
      verify: (crt) => verifyChain(view, crt),
      async isRevoked(crt, serial) {
        const inCrl = (await crlText(view)).toLowerCase().includes(serial);
        assert.equal(/: revoked/.test(await ocspStatus(view, leafOf(crt))), inCrl);
        return inCrl;
      },
    },
    {
      name: "pebble",
      options: async (tag, solver) => ({
        directory: pebble.directory,
        path: dir(`pb-${tag}`),
        tlsCa: s.tls.certPath,
        eab: pebble.eab,
        solver,
      }),
      verify: async (crt) =>
        (await openssl(["verify", "-CAfile", pebble.rootFile, "-untrusted", pebble.interFile, crt]))
          .out,
      isRevoked: async (_crt, serial) => (await pebble.certStatus(serial)) === "Revoked",
    },
  );
});
after(async () => {
  await pebble?.stop();
  await s?.stop();
  await dns?.stop();
});

const http = () => ["--http", "--http.port", `127.0.0.1:${s.httpPort}`];

test("the lego lifecycle (http-01, renew, revoke, revoke again) on both", async () => {
  const got: Record<string, unknown> = {};
  for (const t of targets) {
    const r = await legoLifecycle(await t.options("life", http()), "life.acme.test", t);
    got[t.name] = { ...r, secondRevokeOutput: /alreadyRevoked/.test(r.secondRevokeOutput) };
  }
  const same = {
    issued: true,
    renewedSerialChanged: true,
    revoked: true,
    secondRevokeOutput: true,
  };
  assert.deepEqual(got, { metacrypt: same, pebble: same });
});

test("dns-01 through lego's exec provider and the mock DNS, on both", async () => {
  const hook = join(s.h.dir, "dns-hook.sh");
  writeFileSync(
    hook,
    `#!/bin/sh\n[ "$1" = present ] || exit 0\nexec curl -sS --fail -d "{\\"host\\":\\"$2\\",\\"value\\":\\"$3\\"}" ${dns.mgmtUrl}/set-txt\n`,
  );
  chmodSync(hook, 0o755);
  const solver = ["--dns", "exec", "--dns.disable-cp", "--dns.resolvers", dns.addr];
  for (const t of targets) {
    const o = await t.options("dns", solver);
    const r = await run(
      "lego",
      [
        ...["--server", o.directory, "--path", o.path, "--email", "ops@acme.test", "--accept-tos"],
        ...["--eab", "--kid", o.eab!.kid, "--hmac", o.eab!.hmac_key, "-d", "*.acme.test"],
        ...solver,
        "run",
      ],
      { env: { LEGO_CA_CERTIFICATES: o.tlsCa, EXEC_PATH: hook, EXEC_POLLING_INTERVAL: "1" } },
    );
    assert.equal(r.code, 0, `${t.name}: ${r.out}`);
    assert.ok(hasCert(o.path, "_.acme.test"), t.name);
  }
});

test("differences: a name outside policy, and a CA:TRUE CSR", async () => {
  const outcome: Record<string, { outside: string; caTrue: string }> = {};
  for (const t of targets) {
    const o = await t.options("outside", http());
    const outside = await lego(o, ["x.other.test"], ["run"]);
    const csrDir = dir(`${t.name}-csr`);
    const csr = await caTrueCsr(csrDir, "ca.acme.test");
    const caTrue = await lego(await t.options("catrue", http()), [], ["--csr", csr, "run"]);
    const kind = (r: { code: number; out: string }) =>
      r.code === 0 ? "issued" : (/error:(\w+)/.exec(r.out)?.[1] ?? r.out.slice(-300));
    outcome[t.name] = { outside: kind(outside), caTrue: kind(caTrue) };
  }
  assert.deepEqual(outcome, {
    metacrypt: { outside: "rejectedIdentifier", caTrue: "badCSR" },
    pebble: { outside: "issued", caTrue: "issued" },
  });
});
