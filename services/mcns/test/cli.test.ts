// The binaries as operators use them: `mcns server --config` as a real process (with a real
// MCIAS), `mcns zone-import/zone-export`, and `mcnsctl` with human and --json output.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { saveToken } from "@metacircular/mcdsl/cli";
import {
  type ChildService,
  freeTcpUdpPort as freeDnsPort,
  type MciasInstance,
  startMcias,
  startProcess,
  writeCliProfile,
} from "@metacircular/testkit";
import { dig } from "./helpers/dig.ts";
import { ZONE_FILE } from "./helpers/mcns.ts";

const run = promisify(execFile);
const MCNS = resolve(import.meta.dirname, "../src/cmd/mcns.ts");
const CTL = resolve(import.meta.dirname, "../src/cmd/mcnsctl.ts");
const Z = "svc.mcp.metacircular.net";

let dir: string;
let cfg: string;
let dnsPort: number;
let apiPort: number;
let mcias: MciasInstance;
let server: ChildService;
let adminToken: string;

async function ctl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, [
      "--import",
      "tsx",
      CTL,
      "--server",
      `http://127.0.0.1:${apiPort}`,
      "--token",
      adminToken,
      ...args,
    ]);
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "mcns-cli-"));
  mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  // Login tokens are bound to the service they were issued for: log the admin in to mcns.
  const login = await fetch(`${mcias.url}/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: mcias.adminUsername,
      password: mcias.adminPassword,
      service_name: "mcns",
    }),
  });
  adminToken = ((await login.json()) as { token: string }).token;
  dnsPort = await freeDnsPort();
  apiPort = await freeDnsPort();
  cfg = join(dir, "mcns.toml");
  writeFileSync(
    cfg,
    `[server]
listen_addr = "127.0.0.1:${apiPort}"
[database]
path = "${join(dir, "mcns.sqlite")}"
[log]
level = "info"
[mcias]
server_url = "${mcias.url}"
service_name = "mcns"
[dns]
listen_addr = "127.0.0.1:${dnsPort}"
`,
  );
  const zf = join(dir, "zone.db");
  writeFileSync(zf, ZONE_FILE);
  const imp = await run(process.execPath, [
    "--import",
    "tsx",
    MCNS,
    "zone-import",
    "--config",
    cfg,
    "--zone",
    Z,
    zf,
  ]);
  assert.match(imp.stdout, /imported \d+ records into/);
  server = startProcess(MCNS, { args: ["server", "--config", cfg] });
  await server.waitForLine(/mcns started/, 20_000);
});
after(async () => {
  await server?.stop();
  await mcias?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("mcnsctl from another directory finds the server and the token mciasctl cached in the CLI profile", async () => {
  const xdg = join(dir, "xdg");
  writeCliProfile(xdg, { mciasUrl: mcias.url, mcnsUrl: `http://127.0.0.1:${apiPort}` });
  const env = { PATH: process.env.PATH ?? "", HOME: dir, XDG_CONFIG_HOME: xdg };
  // What `mciasctl login --service mcns` leaves behind.
  saveToken(mcias.url, "mcns", adminToken, { env });
  const cwd = mkdtempSync(join(tmpdir(), "mcnsctl-cwd-"));
  const r = await run(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), CTL, "--json", "zone", "list"],
    { cwd, env },
  );
  assert.match(r.stdout, /svc\.mcp\.metacircular\.net/);
  const help = await run(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), CTL, "--help"],
    {
      cwd,
      env,
    },
  );
  assert.match(help.stdout, /MCNS_SERVER/);
  assert.match(help.stdout, /from profile/);
  rmSync(cwd, { recursive: true, force: true });
});

test("mcns --version", async () => {
  const r = await run(process.execPath, ["--import", "tsx", MCNS, "--version"]);
  assert.match(r.stdout, /^\d+\.\d+\.\d+/);
});

test("the server process answers DNS from the imported zone", async () => {
  const r = await dig(dnsPort, `mcq.${Z}`, "A");
  assert.deepEqual(
    r.answer.map((a) => a.data),
    ["100.95.252.120"],
  );
});

test("mcnsctl manages records; changes show up in DNS", async () => {
  const list = await ctl("zone", "list");
  assert.equal(list.code, 0, list.err);
  assert.match(list.out, /svc\.mcp\.metacircular\.net/);
  const add = await ctl(
    "--json",
    "record",
    "add",
    Z,
    "cli",
    "TXT",
    '"made by" "mcnsctl"',
    "--ttl",
    "60",
  );
  assert.equal(add.code, 0, add.err);
  const rec = JSON.parse(add.out) as { id: number; fqdn: string; value: string };
  assert.equal(rec.fqdn, `cli.${Z}.`);
  const d = await dig(dnsPort, `cli.${Z}`, "TXT");
  assert.deepEqual(
    d.answer.map((a) => [a.ttl, a.data]),
    [[60, '"made by" "mcnsctl"']],
  );
  const human = await ctl("record", "list", Z, "--name", "cli");
  assert.match(human.out, /cli\s+TXT\s+60/);
  const dup = await ctl("--json", "record", "add", Z, "cli", "CNAME", "mcq");
  assert.equal(dup.code, 1);
  assert.equal(JSON.parse(dup.err).error.code, "cname_conflict");
  const del = await ctl("record", "delete", Z, String(rec.id));
  assert.equal(del.code, 0, del.err);
  assert.equal((await dig(dnsPort, `cli.${Z}`, "TXT")).status, "NXDOMAIN");
  const exp = await ctl("zone", "export", Z);
  assert.match(exp.out, /^\$ORIGIN svc\.mcp\.metacircular\.net\./);
  const audit = await ctl("--json", "audit", "--limit", "5");
  assert.equal(JSON.parse(audit.out)[0].action, "record.delete");
});

test("mcnsctl without a token is refused with a clear error", async () => {
  const r = await run(process.execPath, [
    "--import",
    "tsx",
    CTL,
    "--server",
    `http://127.0.0.1:${apiPort}`,
    "zone",
    "list",
  ]).catch((e) => e);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error: authentication required/);
});

test("mcns zone-export reads the database offline", async () => {
  const r = await run(process.execPath, [
    "--import",
    "tsx",
    MCNS,
    "zone-export",
    "--config",
    cfg,
    "--zone",
    Z,
  ]);
  assert.match(r.stdout, /mcq\.svc\.mcp\.metacircular\.net\.\t300\tIN\tA\t100\.95\.252\.120/);
});
