// Certificate renewal by the monitor, without a deploy: a real Metacrypt issuing 10-day
// certificates (profile "short") beside MC-Proxy, MCNS, MCIAS and rootful podman. A fresh
// certificate is left alone; eight days later (the pass is given that time) it is in the last
// third of its life, so the pass asks Metacrypt again, replaces the files (0600) and records the
// new serial; MC-Proxy serves the new certificate on the next handshake, and no deploy ran.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { after, before, test } from "node:test";
import { connect } from "node:tls";
import { HostCerts } from "../src/agent/certs.ts";
import { deploy } from "../src/agent/deploy.ts";
import { monitorPass } from "../src/agent/monitor.ts";
import { type AgentFixture, startAgentFixture, webService } from "./helpers/agent.ts";
import { startMetacrypt, type TestMetacrypt } from "./helpers/metacrypt.ts";
import { ZONE } from "./helpers/platform.ts";
import { retry } from "./helpers/retry.ts";

const IMAGE = "localhost/mcp-test/renew:v1";
const POLICY = { restore: false, flapWindowMs: 600_000, flapMax: 3 };
const DAY = 86_400_000;
let fx: AgentFixture;
let mc: TestMetacrypt;
let issuer: HostCerts;

before(async () => {
  fx = await startAgentFixture(IMAGE, "renewed\n");
  mc = await startMetacrypt(fx.pf.dir, fx.pf.mcias);
  issuer = new HostCerts({ url: mc.url, tokenFile: mc.tokenFile, mount: "pki", profile: "short" });
  fx.d.certs = {
    kind: "metacrypt",
    issuer,
    dir: fx.dir.join("proxy-certs"),
    renewBeforeMs: 30 * DAY,
  };
});
after(async () => {
  issuer?.close();
  await mc?.child.stop(10_000);
  await fx?.stop();
});

const host = `renew.${ZONE}`;

/** The serial of the certificate MC-Proxy presents for `host` now. */
function servedSerial(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port, servername: host, ca: mc.rootPem }, () => {
      const serial = s.getPeerX509Certificate()?.serialNumber ?? "";
      s.destroy();
      resolve(serial);
    });
    s.on("error", reject);
  });
}

const fileSerial = (path: string) => new X509Certificate(readFileSync(path)).serialNumber;

test("the monitor renews a certificate due for renewal, and MC-Proxy serves it", async () => {
  const { d, pf } = fx;
  await deploy(d, webService("renew", IMAGE, pf.proxy.port), "test");
  const [first] = d.registry.certificates("renew");
  assert.ok(first?.serial);
  const firstSerial = fileSerial(first.certPath);
  assert.equal(await retry(() => servedSerial(pf.proxy.port)), firstSerial);

  // Fresh: ten days left, more than a third of its life; nothing to do.
  assert.deepEqual((await monitorPass(d, POLICY)).renewed, []);
  assert.equal(d.registry.certificates("renew")[0]?.serial, first.serial);

  const later = await monitorPass(d, POLICY, Date.now() + 8 * DAY);
  assert.deepEqual(
    later.renewed.map((r) => [r.service, r.hostname, r.error]),
    [["renew", host, ""]],
  );
  const [renewed] = d.registry.certificates("renew");
  assert.ok(renewed?.serial && renewed.serial !== first.serial, "a new serial is recorded");
  assert.equal(renewed.certPath, first.certPath);
  for (const f of [renewed.certPath, renewed.keyPath])
    assert.equal(statSync(f).mode & 0o777, 0o600);
  const newSerial = fileSerial(renewed.certPath);
  assert.notEqual(newSerial, firstSerial);
  await retry(async () => assert.equal(await servedSerial(pf.proxy.port), newSerial));

  assert.equal(d.registry.deploys("renew").length, 1, "no deploy ran");
  const ev = d.registry.events("renew").find((e) => e.kind === "cert_renewed");
  assert.match(ev?.message ?? "", new RegExp(`^${host.replace(/\./g, "\\.")}: serial `));
});
