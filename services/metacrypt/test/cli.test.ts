// metacryptctl end to end against a running server: init, unseal, a CA mount, issuance to files,
// the inventory, revocation, policy explain and the audit chain; --json everywhere it matters,
// and failures as one line with the stable code.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runNode } from "@metacircular/testkit";
import { PASSWORD, startTestMetacrypt } from "./helpers/metacrypt.ts";
import { openssl } from "./helpers/openssl.ts";
import { PKG } from "./helpers/process.ts";

test("metacryptctl drives the whole flow", async (t) => {
  const h = await startTestMetacrypt();
  t.after(() => h.stop());
  const ctl = (...args: string[]) =>
    runNode(
      [
        "--import",
        "tsx",
        join(PKG, "src/cmd/metacryptctl.ts"),
        "--server",
        h.url,
        "--token",
        "tok-admin",
        ...args,
      ],
      {
        cwd: PKG,
        env: { ...process.env, METACRYPT_UNSEAL_PASSWORD: PASSWORD, XDG_CONFIG_HOME: h.dir },
      },
    );
  assert.match((await ctl("status")).out, /not initialized/);
  assert.match((await ctl("init")).out, /initialized \(sealed\)/);
  assert.match((await ctl("unseal")).out, /^unsealed/);
  assert.equal((await ctl("mount", "create", "pki", "ca")).code, 0);
  assert.equal((await ctl("ca", "create-root", "pki", "--cn", "CLI Root")).code, 0);
  assert.equal(
    (await ctl("ca", "create-intermediate", "pki", "services", "--cn", "CLI Services")).code,
    0,
  );
  const profile = join(h.dir, "profile.json");
  writeFileSync(
    profile,
    JSON.stringify({
      name: "svc",
      issuer: "services",
      allowed_names: ["*.svc.mcp.metacircular.net"],
      max_ttl_days: 30,
    }),
  );
  assert.equal((await ctl("ca", "set-profile", "pki", profile)).code, 0);
  const out = join(h.dir, "mcq");
  const issued = await ctl(
    "--json",
    "ca",
    "issue",
    "pki",
    "--profile",
    "svc",
    "--cn",
    "mcq.svc.mcp.metacircular.net",
    "--out",
    out,
  );
  assert.equal(issued.code, 0, issued.err);
  const serial = (JSON.parse(issued.out) as { serial: string }).serial;
  assert.match(readFileSync(`${out}.key`, "utf8"), /PRIVATE KEY/);
  const key = await openssl(["pkey", "-in", `${out}.key`, "-pubout"]);
  const pub = await openssl(["x509", "-in", `${out}.pem`, "-noout", "-pubkey"]);
  assert.equal(key.out, pub.out, "the key file belongs to the certificate");
  const certs = await ctl("ca", "certs", "pki", "--name", "mcq");
  assert.match(
    certs.out,
    new RegExp(`${serial}\\s+mcq.svc.mcp.metacircular.net\\s+root\\s+\\S+\\s+valid`),
  );
  assert.equal((await ctl("ca", "revoke", "pki", serial)).code, 0);
  const revoked = JSON.parse((await ctl("--json", "ca", "certs", "pki", "--revoked")).out) as {
    serial: string;
  }[];
  assert.deepEqual(
    revoked.map((c) => c.serial),
    [serial],
  );
  const bad = await ctl("ca", "issue", "pki", "--profile", "svc", "--cn", "evil.example.com");
  assert.equal(bad.code, 1);
  assert.match(bad.err, /^error: .*\(name_not_allowed\)\n$/);
  const rule = join(h.dir, "rule.json");
  writeFileSync(
    rule,
    JSON.stringify({
      id: "agent",
      effect: "allow",
      subject: "system:mcp-agent",
      mount: "pki",
      operations: ["issue"],
    }),
  );
  assert.equal((await ctl("policy", "set", rule)).code, 0);
  const ex = await ctl(
    "policy",
    "explain",
    "--user",
    "mcp-agent",
    "--system",
    "--mount",
    "pki",
    "--operation",
    "issue",
  );
  assert.match(ex.out, /^allow: rule agent/);
  assert.equal((await ctl("mount", "create", "transit", "transit")).code, 0);
  const tr = async (op: string, data: object) =>
    JSON.parse((await ctl("--json", "request", "transit", op, "--data", JSON.stringify(data))).out);
  await tr("create-key", { name: "cli" });
  const sealed = await tr("encrypt", {
    name: "cli",
    plaintext: Buffer.from("hi").toString("base64"),
  });
  const opened = await tr("decrypt", { name: "cli", ciphertext: sealed.ciphertext });
  assert.equal(Buffer.from(opened.plaintext, "base64").toString(), "hi");
  assert.match((await ctl("audit", "verify")).out, /chain intact \(\d+ rows\)/);
  assert.match((await ctl("seal")).out, /^sealed/);
  assert.match((await ctl("mount", "list")).err, /\(sealed\)/);
});
