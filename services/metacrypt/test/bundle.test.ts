// The deployable form: `npm run build` bundles metacrypt and metacryptctl into dist/*.mjs, run
// by plain node (no tsx). Built here and driven as operators do: the bundled server against a
// real MCIAS, the bundled CLI for init, unseal, a CA and an issuance that openssl verifies.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { runNode, startMcias, tempDirFor } from "@metacircular/testkit";
import { PASSWORD } from "./helpers/metacrypt.ts";
import { openssl } from "./helpers/openssl.ts";
import { loginFor, PKG, startServer, writeServerConfig } from "./helpers/process.ts";

const run = promisify(execFile);

test("the dist bundle serves the API and metacryptctl drives it", async (t) => {
  await run("npm", ["run", "build"], { cwd: PKG });
  const ctlSource = readFileSync(join(PKG, "dist/metacryptctl.mjs"), "utf8");
  for (const heavy of ["better-sqlite3", "connect-node", "@peculiar/x509", "argon2"])
    assert.ok(!ctlSource.includes(heavy), `metacryptctl bundle contains ${heavy}`);
  const dir = tempDirFor(t, "metacrypt-bundle-");
  const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  t.after(() => mcias.stop());
  const token = await loginFor(mcias);
  const files = await writeServerConfig(dir.path, mcias);
  const server = await startServer(files, join(PKG, "dist/metacrypt.mjs"));
  t.after(() => server.stop());
  const ctl = (...args: string[]) =>
    runNode(
      [join(PKG, "dist/metacryptctl.mjs"), "--server", files.url, "--token", token, ...args],
      { env: { ...process.env, METACRYPT_UNSEAL_PASSWORD: PASSWORD, XDG_CONFIG_HOME: dir.path } },
    );
  for (const args of [
    ["init"],
    ["unseal"],
    ["mount", "create", "pki", "ca"],
    ["ca", "create-root", "pki", "--cn", "Bundle Root", "--key-type", "ed25519"],
  ]) {
    const r = await ctl(...args);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
  }
  const profile = join(dir.path, "p.json");
  writeFileSync(
    profile,
    JSON.stringify({
      name: "svc",
      issuer: "root",
      allowed_names: ["*.svc.mcp.metacircular.net"],
      max_ttl_days: 30,
    }),
  );
  assert.equal((await ctl("ca", "set-profile", "pki", profile)).code, 0);
  const out = join(dir.path, "leaf");
  const issued = await ctl(
    "ca",
    "issue",
    "pki",
    "--profile",
    "svc",
    "--cn",
    "b.svc.mcp.metacircular.net",
    "--key-type",
    "rsa-2048",
    "--out",
    out,
  );
  assert.equal(issued.code, 0, issued.err);
  const root = join(dir.path, "root.pem");
  writeFileSync(root, await (await fetch(`${files.url}/v1/ca/pki/chain/root`)).text());
  const v = await openssl(["verify", "-CAfile", root, `${out}.pem`]);
  assert.match(v.out, /: OK/);
  assert.doesNotMatch(
    server.output(),
    new RegExp(PASSWORD),
    "the unseal password never reaches the log",
  );
});
