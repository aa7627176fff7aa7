// The deployable form: `npm run build` bundles mcns and mcnsctl into dist/*.mjs, run by plain
// node (no tsx). This test builds the bundle and drives it end to end as operators do: offline
// zone import, the bundled server (native UDP addon found from the package directory) with a
// real MCIAS, and the bundled mcnsctl against it, including the RFC 9460 types and their errors.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import {
  freeTcpUdpPort,
  runNode,
  startMcias,
  startProcess,
  tempDirFor,
} from "@metacircular/testkit";
import { dig } from "./helpers/dig.ts";
import { TYPES_ZONE, TYPES_ZONE_FILE } from "./helpers/types-zone.ts";

const run = promisify(execFile);
const PKG = resolve(import.meta.dirname, "..");
const MCNS = join(PKG, "dist/mcns.mjs");
const CTL = join(PKG, "dist/mcnsctl.mjs");

const node = (...args: string[]) => runNode(args);

test("the dist bundle imports zones, serves DNS and the API, and mcnsctl drives it", async (t) => {
  await run("npm", ["run", "build"], { cwd: PKG });
  // The CLI bundle carries only what a REST client needs: no server, database or gRPC code.
  const ctlSource = readFileSync(CTL, "utf8");
  for (const heavy of ["better-sqlite3", "hono", "connect-node", "prom-client", "udp_batch"])
    assert.ok(!ctlSource.includes(heavy), `mcnsctl bundle contains ${heavy}`);

  const dir = tempDirFor(t, "mcns-bundle-");
  const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  t.after(() => mcias.stop());
  const login = await fetch(`${mcias.url}/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: mcias.adminUsername,
      password: mcias.adminPassword,
      service_name: "mcns",
    }),
  });
  const token = ((await login.json()) as { token: string }).token;
  const dns = await freeTcpUdpPort();
  const api = await freeTcpUdpPort();
  const cfg = join(dir.path, "mcns.toml");
  writeFileSync(
    cfg,
    `[server]\nlisten_addr = "127.0.0.1:${api}"\n[database]\npath = "${join(dir.path, "db.sqlite")}"
[log]\nlevel = "info"\n[mcias]\nserver_url = "${mcias.url}"\nservice_name = "mcns"
[dns]\nlisten_addr = "127.0.0.1:${dns}"\nudp_io = "native"\n`,
  );
  const zf = join(dir.path, "types.db");
  writeFileSync(zf, TYPES_ZONE_FILE);
  const imp = await node(MCNS, "zone-import", "--config", cfg, "--zone", TYPES_ZONE, zf);
  assert.equal(imp.code, 0, imp.err);
  assert.match(imp.out, /serial 2024061501/);

  const server = startProcess(process.execPath, {
    args: [MCNS, "server", "--config", cfg],
    tsx: false,
  });
  t.after(() => server.stop());
  await server.waitForLine(/mcns started/, 60_000);
  assert.match(server.output(), /"udpIo":"native"/);
  const https = await dig(dns, `www.${TYPES_ZONE}`, "HTTPS");
  assert.deepEqual(
    https.answer.map((a) => a.data),
    ['1 . port=8443 key667="hello" key65000'],
  );

  const ctl = (...args: string[]) =>
    node(CTL, "--server", `http://127.0.0.1:${api}`, "--token", token, ...args);
  const add = await ctl(
    "--json",
    "record",
    "add",
    TYPES_ZONE,
    "h3",
    "HTTPS",
    "1",
    ".",
    "alpn=h3,h2",
    "port=443",
  );
  assert.equal(add.code, 0, add.err);
  assert.equal((JSON.parse(add.out) as { value: string }).value, '1 . alpn="h3,h2" port=443');
  const list = await ctl("record", "list", TYPES_ZONE, "--type", "HTTPS");
  assert.equal(list.code, 0, list.err);
  assert.match(list.out, /h3\s+HTTPS\s+300\s+1 \. alpn="h3,h2" port=443/);
  const bad = await ctl(
    "--json",
    "record",
    "add",
    TYPES_ZONE,
    "bad",
    "SVCB",
    "1",
    ".",
    "mandatory=port",
  );
  assert.equal(bad.code, 1);
  assert.equal((JSON.parse(bad.err) as { error: { code: string } }).error.code, "bad_svcparam");
  const zone = await ctl("--json", "zone", "get", TYPES_ZONE);
  assert.ok(
    (JSON.parse(zone.out) as { serial: number }).serial > 2024061501,
    "the API change bumped it",
  );
  const h3 = await dig(dns, `h3.${TYPES_ZONE}`, "HTTPS");
  assert.deepEqual(
    h3.answer.map((a) => a.data),
    ['1 . alpn="h3,h2" port=443'],
  );
});
