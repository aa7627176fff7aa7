// The deployable form: `npm run build` bundles mcr and mcrctl into dist/*.mjs for plain node.
// This test builds them, runs the bundled server over TLS with a real MCIAS, pushes an image
// with skopeo, and drives every mcrctl command against it (human and --json output).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import {
  createTestCA,
  freePort,
  runNode,
  startMcias,
  startProcess,
  tempDirFor,
  waitForHttp,
} from "@metacircular/testkit";
import { clientEnv, skopeoCopy } from "./helpers/clients.ts";
import { buildImage, OCI_MANIFEST, tarLayer, writeOciLayout } from "./helpers/images.ts";
import { mcrConfig, writeMcrToml } from "./helpers/mcr.ts";
import { mciasLogin } from "./helpers/stack.ts";

const run = promisify(execFile);
const PKG = resolve(import.meta.dirname, "..");
const MCR = join(PKG, "dist/mcr.mjs");
const CTL = join(PKG, "dist/mcrctl.mjs");

const node = (...args: string[]) => runNode(args);

test("the dist bundle serves the registry and mcrctl drives it", async (t) => {
  await run("npm", ["run", "build"], { cwd: PKG });
  const ctlSource = readFileSync(CTL, "utf8");
  for (const heavy of ["better-sqlite3", "jose", "prom-client", "hono/"])
    assert.ok(!ctlSource.includes(heavy), `mcrctl bundle contains ${heavy}`);

  const dir = tempDirFor(t, "mcr-bundle-");
  const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  t.after(() => mcias.stop());
  const ca = createTestCA("MCR Bundle CA");
  t.after(() => ca.remove());
  const port = await freePort();
  const raw = mcrConfig(dir, mcias, ca.issue(["127.0.0.1"]), { listen: `127.0.0.1:${port}` });
  const cfg = writeMcrToml(dir.join("mcr.toml"), raw);
  const server = startProcess(process.execPath, {
    args: [MCR, "server", "--config", cfg],
    tsx: false,
  });
  t.after(() => server.stop());
  const base = `https://127.0.0.1:${port}`;
  await waitForHttp(`${base}/v1/health`, { ca: ca.cert, timeoutMs: 60_000 });
  assert.equal((await node(MCR, "--version")).out.trim(), "0.1.0");

  const certDir = dir.join("certs");
  mkdirSync(certDir);
  const { copyFileSync } = await import("node:fs");
  copyFileSync(ca.certPath, join(certDir, "ca.crt"));
  const img = buildImage([tarLayer(10_000), tarLayer(20_000)]);
  const layout = dir.join("layout");
  writeOciLayout(layout, [img], [{ name: "v1", bytes: img.manifest, mediaType: OCI_MANIFEST }]);
  const creds = `${mcias.adminUsername}:${mcias.adminPassword}`;
  const up = await skopeoCopy(
    clientEnv(dir.join("client"), certDir),
    `oci:${layout}:v1`,
    `docker://127.0.0.1:${port}/apps/web:v1`,
    creds,
  );
  assert.equal(up.code, 0, up.stderr);

  const token = await mciasLogin(mcias, mcias.adminUsername, mcias.adminPassword);
  const ctl = (...args: string[]) =>
    node(CTL, "--server", base, "--ca-cert", ca.certPath, "--token", token, ...args);

  const repos = await ctl("repositories");
  assert.equal(repos.code, 0, repos.err);
  assert.match(repos.out, /apps\/web\s+1\s+1/);
  const tags = await ctl("--json", "tags", "apps/web");
  assert.equal(JSON.parse(tags.out)[0].digest, img.digest);
  const added = await ctl(
    "--json",
    "policies",
    "add",
    "--priority",
    "10",
    "--repository",
    "apps/**",
    "--subject-kind",
    "role",
    "--subject",
    "user",
    "--actions",
    "pull",
    "--effect",
    "allow",
  );
  assert.equal(added.code, 0, added.err);
  const id = JSON.parse(added.out).id as number;
  assert.match(
    (await ctl("policies", "list")).out,
    /apps\/\*\*\s+role\s+user\s+\["pull"\]\s+allow/,
  );
  assert.equal((await ctl("policies", "delete", String(id))).code, 0);
  assert.equal((await ctl("delete", "apps/web", "v1")).code, 0);
  const dry = await ctl("gc", "--dry-run");
  assert.match(
    dry.out,
    /^would remove 0 manifests, 0 blobs \(0 bytes\), 0 repository links, 0 uploads$/m,
    "inside the grace period nothing goes",
  );
  assert.match(dry.err, /^gc \(dry run\): marking and sweeping…\n.*done in \d+\.\d s$/m);
  const dryJson = await ctl("--json", "gc", "--dry-run");
  assert.equal(JSON.parse(dryJson.out).dry_run, true, "progress goes to stderr, JSON stays clean");
  const audit = await ctl("--json", "audit", "--repository", "apps/web");
  const actions = (JSON.parse(audit.out) as Array<{ action: string }>).map((e) => e.action);
  assert.ok(actions.includes("push") && actions.includes("delete_tag"), actions.join(","));
  const newest = JSON.parse(audit.out)[0].id as number;
  const older = await ctl("--json", "audit", "--before", String(newest));
  assert.ok((JSON.parse(older.out) as Array<{ id: number }>).every((e) => e.id < newest));
  const missing = await ctl("tags", "no/such");
  assert.equal(missing.code, 1);
  assert.match(missing.err, /\(name_unknown\)/);
  const noToken = await node(CTL, "--server", base, "--ca-cert", ca.certPath, "gc");
  assert.match(noToken.err, /\(unauthenticated\)/);
});
