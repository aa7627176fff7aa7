// The MCP agent's certificate path: POST /v1/certs/host, CertService.HostCert and
// `metacryptctl ca host-cert`. Decided by policy as an "issue" of the host name; the answer is
// a certificate openssl verifies against the returned chain, with the key that belongs to it;
// the same certificate comes back while it is unrevoked and more than 30 days from expiry, a new
// one after a revocation or when the reusable one would expire within 30 days.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createClient } from "@connectrpc/connect";
import { CertService } from "@metacircular/proto/metacrypt/v1/certs_pb";
import { bearerTransport, freePort, runNode } from "@metacircular/testkit";
import {
  client,
  PASSWORD,
  readyAdmin,
  setupCa,
  startTestMetacrypt,
  type TestMetacrypt,
} from "./helpers/metacrypt.ts";
import { openssl } from "./helpers/openssl.ts";
import { PKG } from "./helpers/process.ts";

let h: TestMetacrypt;
let admin: ReturnType<typeof client>;
const HOST = "web.svc.mcp.metacircular.net";

before(async () => {
  h = await startTestMetacrypt({
    server: { listen_addr: "127.0.0.1:0", grpc_addr: `127.0.0.1:${await freePort()}` },
  });
  admin = await readyAdmin(h.url);
  await setupCa(admin);
  for (const [name, days] of [
    ["host", 90],
    ["short", 20],
  ] as const)
    await admin("POST", "/v1/engine/request", {
      mount: "pki",
      operation: "set-profile",
      data: {
        name,
        issuer: "services",
        allowed_names: ["*.svc.mcp.metacircular.net"],
        max_ttl_days: days,
        ext_key_usages: ["serverAuth"],
      },
    });
});
after(() => h?.stop());

const agent = () => client(h.url, "tok-agent");
const hostCert = (body: object) => agent()("POST", "/v1/certs/host", { mount: "pki", ...body });

test("policy decides host-cert as an issue of the host name", async () => {
  const denied = await hostCert({ hostname: HOST });
  assert.equal(denied.status, 403);
  assert.equal(denied.json.error.code, "policy_denied");
  const put = await admin("PUT", "/v1/policy/rules/agent-hosts", {
    id: "agent-hosts",
    effect: "allow",
    subject: "system:mcp-agent",
    mount: "pki",
    operations: ["issue"],
    names: ["*.svc.mcp.metacircular.net"],
  });
  assert.equal(put.status, 200);
  const outside = await hostCert({ hostname: "web.example.com" });
  assert.equal(outside.json.error?.code, "policy_denied");
  assert.equal((await hostCert({ hostname: "not a name" })).json.error?.code, "invalid_name");
});

test("a verified certificate with its key; reused until revoked", async () => {
  const first = await hostCert({ hostname: HOST });
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.equal(first.json.reused, false);
  const dir = h.dir;
  writeFileSync(join(dir, "leaf.pem"), first.json.certificate);
  writeFileSync(join(dir, "chain.pem"), first.json.chain.join(""));
  writeFileSync(join(dir, "leaf.key"), first.json.private_key);
  const v = await openssl(["verify", "-CAfile", join(dir, "chain.pem"), join(dir, "leaf.pem")]);
  assert.equal(v.code, 0, v.out);
  const pub = await openssl(["x509", "-in", join(dir, "leaf.pem"), "-noout", "-pubkey"]);
  const key = await openssl(["pkey", "-in", join(dir, "leaf.key"), "-pubout"]);
  assert.equal(key.out, pub.out, "the key belongs to the certificate");

  const again = await hostCert({ hostname: HOST.toUpperCase() });
  assert.deepEqual(
    [again.json.serial, again.json.reused, again.json.private_key],
    [first.json.serial, true, first.json.private_key],
  );
  const grpc = createClient(CertService, bearerTransport(h.grpc!.url, "tok-agent"));
  const g = await grpc.hostCert({ mount: "pki", hostname: HOST });
  assert.deepEqual([g.serial, g.reused], [first.json.serial, true]);

  await admin("POST", "/v1/engine/request", {
    mount: "pki",
    operation: "revoke",
    data: { serial: first.json.serial },
  });
  const fresh = await hostCert({ hostname: HOST });
  assert.equal(fresh.json.reused, false);
  assert.notEqual(fresh.json.serial, first.json.serial);
});

test("a certificate within 30 days of expiry is replaced, not reused", async () => {
  const a = await hostCert({ hostname: "short.svc.mcp.metacircular.net", profile: "short" });
  assert.equal(a.status, 200, JSON.stringify(a.json));
  const b = await hostCert({ hostname: "short.svc.mcp.metacircular.net", profile: "short" });
  assert.equal(b.json.reused, false);
  assert.notEqual(b.json.serial, a.json.serial);
  const audit = await admin("GET", "/v1/audit?actor=mcp-agent&limit=5");
  assert.equal(audit.json.entries[0].action, "host-cert");
  assert.equal(audit.json.entries[0].rule, "agent-hosts");
});

test("metacryptctl ca host-cert writes the chain and key, then reuses", async () => {
  const ctl = (...args: string[]) =>
    runNode(
      [
        "--import",
        "tsx",
        join(PKG, "src/cmd/metacryptctl.ts"),
        "--server",
        h.url,
        "--token",
        "tok-agent",
        ...args,
      ],
      {
        cwd: PKG,
        env: { ...process.env, XDG_CONFIG_HOME: h.dir, METACRYPT_UNSEAL_PASSWORD: PASSWORD },
      },
    );
  const out = join(h.dir, "cli-host");
  const first = await ctl("ca", "host-cert", "pki", "cli.svc.mcp.metacircular.net", "--out", out);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^issued [0-9a-f]+/);
  const v = await openssl(["verify", "-CAfile", `${out}.pem`, `${out}.pem`]);
  assert.equal(v.code, 0, v.out);
  const second = await ctl("ca", "host-cert", "pki", "cli.svc.mcp.metacircular.net");
  assert.match(second.out, /^reused /);
});
