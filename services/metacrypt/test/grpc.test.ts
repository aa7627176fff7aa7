// The gRPC face on its own: Shamir init and unseal, mounts, an engine request, policy rules and
// explain; errors carry the same stable codes as REST (sealed, invalid_unseal_secret,
// policy_denied), and REST and gRPC agree on what they return.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { ERROR_CODE_METADATA } from "@metacircular/mcdsl/errors";
import { AuditService } from "@metacircular/proto/metacrypt/v1/audit_pb";
import { EngineService, MountService } from "@metacircular/proto/metacrypt/v1/engine_pb";
import { PolicyService } from "@metacircular/proto/metacrypt/v1/policy_pb";
import { SysService } from "@metacircular/proto/metacrypt/v1/sys_pb";
import {
  bearerTransport,
  bothTransports,
  freePort,
  grpcOutcome,
  restOutcome,
} from "@metacircular/testkit";
import { startTestMetacrypt, type TestMetacrypt } from "./helpers/metacrypt.ts";

let h: TestMetacrypt;
before(async () => {
  h = await startTestMetacrypt({
    server: { listen_addr: "127.0.0.1:0", grpc_addr: `127.0.0.1:${await freePort()}` },
  });
});
after(() => h?.stop());

const clients = (token?: string) => {
  const transport = bearerTransport(h.grpc!.url, token);
  return {
    sys: createClient(SysService, transport),
    mounts: createClient(MountService, transport),
    engine: createClient(EngineService, transport),
    policy: createClient(PolicyService, transport),
    audit: createClient(AuditService, transport),
  };
};
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (e) {
    const c = ConnectError.from(e);
    return `${Code[c.code]}/${c.metadata.get(ERROR_CODE_METADATA)}`;
  }
};

test("Shamir init and unseal, mounts, issuance and policy over gRPC", async () => {
  const admin = clients("tok-admin");
  const anon = clients();
  const init = await admin.sys.init({ shares: 3, threshold: 2 });
  assert.equal(init.shares.length, 3);
  assert.equal(await failure(admin.mounts.listMounts({})), "Unavailable/sealed");
  assert.equal((await anon.sys.unseal({ share: init.shares[0]! })).progress, 1);
  assert.equal(
    await failure(anon.sys.unseal({ password: "x" })),
    "InvalidArgument/invalid_unseal_secret",
  );
  const st = await anon.sys.unseal({ share: init.shares[2]! });
  assert.equal(st.sealed, false);
  assert.equal((await admin.mounts.createMount({ name: "pki", type: "ca" })).mount?.name, "pki");
  await admin.engine.request({
    mount: "pki",
    operation: "create-root",
    data: { common_name: "gRPC Root" },
  });
  await admin.engine.request({
    mount: "pki",
    operation: "set-profile",
    data: {
      name: "svc",
      issuer: "root",
      allowed_names: ["*.svc.mcp.metacircular.net"],
      max_ttl_days: 30,
    },
  });
  const issued = await admin.engine.request({
    mount: "pki",
    operation: "issue",
    data: { profile: "svc", common_name: "g.svc.mcp.metacircular.net" },
  });
  assert.match(String(issued.result?.certificate), /BEGIN CERTIFICATE/);
  const agent = clients("tok-agent");
  const ask = () =>
    agent.engine.request({
      mount: "pki",
      operation: "issue",
      data: { profile: "svc", common_name: "a.svc.mcp.metacircular.net" },
    });
  assert.equal(await failure(ask()), "PermissionDenied/policy_denied");
  const put = await admin.policy.putRule({
    rule: {
      id: "agent",
      effect: "allow",
      subject: "system:mcp-agent",
      mount: "pki",
      operations: ["issue"],
      names: ["*.svc.mcp.metacircular.net"],
      priority: 5,
    },
  });
  assert.deepEqual(put.rule?.names, ["*.svc.mcp.metacircular.net"]);
  assert.equal(await failure(ask()), "ok");
  const ex = await admin.policy.explain({
    username: "mcp-agent",
    accountType: "system",
    mount: "pki",
    operation: "issue",
    names: ["evil.example.com"],
  });
  assert.equal(ex.rule, "default_deny");
  const dflt = await admin.policy.putRule({ rule: { id: "later", effect: "deny", subject: "*" } });
  assert.equal(dflt.rule?.priority, 100, "an unset priority is REST's default");
  const log = await admin.audit.listAudit({ limit: 3 });
  assert.equal(log.entries.length, 3);
  assert.ok(log.entries[0]!.seq > log.entries[1]!.seq, "newest first");
  assert.ok(log.entries.some((e) => e.rule === "default_deny" || e.rule === "agent"));
  assert.equal((await admin.audit.verifyAudit({})).ok, true);
  assert.equal(await failure(agent.audit.verifyAudit({})), "PermissionDenied/forbidden");
  assert.equal(
    await failure(admin.policy.putRule({ rule: { id: "Bad Id", effect: "allow", subject: "*" } })),
    "InvalidArgument/invalid_request",
  );
});

bothTransports(
  "audit verify, explain and the mount list read the same over REST and gRPC",
  async (transport) => {
    const body = {
      username: "mcp-agent",
      account_type: "system",
      roles: [],
      mount: "pki",
      operation: "issue",
      names: ["x.svc.mcp.metacircular.net"],
    };
    if (transport === "rest") {
      const headers = { Authorization: "Bearer tok-admin", "Content-Type": "application/json" };
      const ex = await fetch(`${h.url}/v1/policy/explain`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          subject: { username: body.username, account_type: body.account_type, roles: [] },
          mount: "pki",
          operation: "issue",
          names: body.names,
        }),
      });
      const mounts = await fetch(`${h.url}/v1/mounts`, { headers });
      const audit = await fetch(`${h.url}/v1/audit/verify`, { headers });
      return [
        await restOutcome(audit, (b) => JSON.stringify(b)),
        await restOutcome(ex, (b) => (b as { rule: string }).rule),
        await restOutcome(mounts, (b) =>
          (b as { mounts: { name: string }[] }).mounts.map((m) => m.name),
        ),
      ];
    }
    const c = clients("tok-admin");
    return [
      await grpcOutcome(c.audit.verifyAudit({}), (m) =>
        JSON.stringify({ ok: m.ok, rows: Number(m.rows) }),
      ),
      await grpcOutcome(c.policy.explain({ ...body, accountType: "system" }), (m) => m.rule),
      await grpcOutcome(c.mounts.listMounts({}), (m) => m.mounts.map((x) => x.name)),
    ];
  },
);
