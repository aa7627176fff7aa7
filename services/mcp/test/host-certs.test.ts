// L7 certificates from Metacrypt: a real Metacrypt process (initialised, unsealed, a CA mount and
// a "host" profile, tokens checked by the test MCIAS) beside MC-Proxy, MCNS and rootful podman.
// Deploy → HTTPS through MC-Proxy that Node's TLS and `openssl verify` accept against
// Metacrypt's root → redeploy keeps the certificate (same serial), also when its files were
// lost (Metacrypt hands the same one back) → undeploy removes the files and the rows.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, rmSync, statSync } from "node:fs";
import { after, before, test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { HostCerts } from "../src/agent/certs.ts";
import { deploy } from "../src/agent/deploy.ts";
import { undeployService } from "../src/agent/lifecycle.ts";
import {
  type AgentFixture,
  assertRegistryEmpty,
  startAgentFixture,
  webService,
} from "./helpers/agent.ts";
import { startMetacrypt, type TestMetacrypt } from "./helpers/metacrypt.ts";
import { ZONE } from "./helpers/platform.ts";
import { httpsGet } from "./helpers/probe.ts";
import { retry } from "./helpers/retry.ts";

const IMAGE = "localhost/mcp-test/hello:v1";
let fx: AgentFixture;
let mc: TestMetacrypt;
let issuer: HostCerts;

before(async () => {
  fx = await startAgentFixture(IMAGE, "hello with a Metacrypt certificate\n");
  mc = await startMetacrypt(fx.pf.dir, fx.pf.mcias);
  issuer = new HostCerts({ url: mc.url, tokenFile: mc.tokenFile, mount: "pki", profile: "host" });
  fx.d.certs = { kind: "metacrypt", issuer, dir: fx.dir.join("proxy-certs") };
});
after(async () => {
  issuer?.close();
  await mc?.child.stop(10_000);
  await fx?.stop();
});

const host = `tls.${ZONE}`;
const openssl = (...args: string[]) => execFileSync("openssl", args, { encoding: "utf8" });

test("deploy issues, redeploy reuses, undeploy removes the certificate", async () => {
  const { d, pf } = fx;
  const def = webService("tls", IMAGE, pf.proxy.port);
  await deploy(d, def, "test");
  const [row] = d.registry.certificates("tls");
  assert.ok(row?.serial && row.notAfter, "the registry records serial and expiry");
  for (const f of [row.certPath, row.keyPath]) assert.equal(statSync(f).mode & 0o777, 0o600);

  const page = await retry(() => httpsGet(pf.proxy.port, host, mc.rootPem));
  assert.deepEqual(page, { status: 200, body: "hello with a Metacrypt certificate\n" });
  const verified = openssl(
    "verify",
    "-CAfile",
    mc.rootFile,
    "-untrusted",
    row.certPath,
    row.certPath,
  );
  assert.match(verified, /: OK/);
  const serial = openssl("x509", "-in", row.certPath, "-noout", "-serial");
  assert.equal(serial.trim().split("=")[1]?.toLowerCase(), row.serial.toLowerCase());
  assert.match(openssl("x509", "-in", row.certPath, "-noout", "-ext", "subjectAltName"), /tls\./);

  await deploy(d, def, "test");
  assert.deepEqual(d.registry.certificates("tls"), [row]);

  // Files lost behind the agent's back: Metacrypt hands out the same certificate again.
  rmSync(row.certPath);
  rmSync(row.keyPath);
  await deploy(d, def, "test");
  assert.equal(d.registry.certificates("tls")[0]?.serial, row.serial);
  assert.ok(existsSync(row.certPath) && existsSync(row.keyPath));
  assert.equal((await httpsGet(pf.proxy.port, host, mc.rootPem)).status, 200);

  await undeployService(d, "tls");
  assert.equal(existsSync(row.certPath) || existsSync(row.keyPath), false);
  assertRegistryEmpty(d.registry.db);
});

test("a host name the policy does not allow fails the certificates step", async () => {
  const { d, pf } = fx;
  const text = webService("outside", IMAGE, pf.proxy.port);
  const def = {
    ...text,
    components: text.components.map((c) => ({
      ...c,
      routes: c.routes.map((r) => ({ ...r, hostname: "outside.example.net" })),
    })),
  };
  await assert.rejects(deploy(d, def, "test"), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.status, 403, e.message);
    assert.match(e.message, /deploy outside: step certificates failed/);
    return true;
  });
  assert.equal(d.registry.getService("outside"), undefined);
  assert.equal(existsSync(fx.dir.join("proxy-certs", "outside.example.net.pem")), false);
});
