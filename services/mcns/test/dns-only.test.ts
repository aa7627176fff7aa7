// DNS is what the platform cannot lose: `mcns server` runs DNS-only with `[api] enabled = false`
// (no [mcias] needed, and the log says so), and when the API port cannot be bound DNS still
// starts and serves while the API retries with back-off, saying why, until the port frees up.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { freeTcpUdpPort, startProcess } from "@metacircular/testkit";
import { dig } from "./helpers/dig.ts";
import { ZONE, ZONE_FILE } from "./helpers/mcns.ts";

const run = promisify(execFile);
const MCNS = resolve(import.meta.dirname, "../src/cmd/mcns.ts");
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "mcns-dnsonly-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function config(name: string, body: (dns: number) => string): Promise<[string, number]> {
  const dns = await freeTcpUdpPort();
  const db = join(dir, `${name}.sqlite`);
  const path = join(dir, `${name}.toml`);
  writeFileSync(path, `[database]\npath = "${db}"\n[log]\nlevel = "info"\n${body(dns)}`);
  const zf = join(dir, "zone.db");
  writeFileSync(zf, ZONE_FILE);
  await run(process.execPath, [
    "--import",
    "tsx",
    MCNS,
    "zone-import",
    "--config",
    path,
    "--zone",
    ZONE,
    zf,
  ]);
  return [path, dns];
}

async function answers(port: number): Promise<string[]> {
  return (await dig(port, `mcq.${ZONE}`, "A")).answer.map((a) => a.data);
}

test("[api] enabled = false: DNS only, no [mcias], stated in the log", async (t) => {
  const [cfg, dns] = await config(
    "dnsonly",
    (p) =>
      `[server]\nlisten_addr = "127.0.0.1:0"\n[api]\nenabled = false\n[dns]\nlisten_addr = "127.0.0.1:${p}"\n`,
  );
  const s = startProcess(MCNS, { args: ["server", "--config", cfg] });
  t.after(() => s.stop());
  await s.waitForLine(/mcns started/, 60_000);
  assert.match(s.output(), /API disabled \(\[api\] enabled = false\): serving DNS only/);
  assert.deepEqual(await answers(dns), ["100.95.252.120"]);
});

test("without [mcias] and with the API on, the server refuses and names the way out", async () => {
  const [cfg] = await config(
    "nomcias",
    (p) => `[server]\nlisten_addr = "127.0.0.1:0"\n[dns]\nlisten_addr = "127.0.0.1:${p}"\n`,
  );
  const s = startProcess(MCNS, { args: ["server", "--config", cfg] });
  assert.notEqual(await s.exited, 0);
  assert.match(
    s.output(),
    /\[mcias\] is required for the API; for a DNS-only server set \[api\] enabled = false/,
  );
});

test("an API port that is taken: DNS serves, the API retries and comes up once it is free", async (t) => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const apiPort = (blocker.address() as { port: number }).port;
  const [cfg, dns] = await config(
    "taken",
    (p) => `[server]\nlisten_addr = "127.0.0.1:${apiPort}"
[mcias]\nserver_url = "http://127.0.0.1:9"\nservice_name = "mcns"
[api]\nretry_initial_ms = 200\nretry_max_ms = 1000
[dns]\nlisten_addr = "127.0.0.1:${p}"\n`,
  );
  const s = startProcess(MCNS, { args: ["server", "--config", cfg] });
  t.after(() => s.stop());
  await s.waitForLine(/mcns started/, 60_000);
  assert.match(s.output(), /"api":"retrying"/);
  assert.match(s.output(), /REST API could not start \(DNS keeps serving\); retrying/);
  assert.match(s.output(), /EADDRINUSE/);
  assert.deepEqual(await answers(dns), ["100.95.252.120"]);
  await new Promise<void>((r) => blocker.close(() => r()));
  await s.waitForLine(/REST API is up after retrying/, 60_000);
  const health = await fetch(`http://127.0.0.1:${apiPort}/v1/health`);
  assert.equal(health.status, 200);
  assert.deepEqual(await answers(dns), ["100.95.252.120"]);
});
