// Authorization matrix over REST and gRPC against a REAL MCIAS: an admin, the MCP agent (a
// system account with a policy rule for *.svc.mcp.metacircular.net), another system account, a
// human user, a guest, no token, a bogus token, and valid tokens issued for another service (the
// admin's MCIAS token, the agent's token for mcns) — each allowed or refused as specified.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { AcmeService } from "@metacircular/proto/metacrypt/v1/acme_pb";
import { EngineService, MountService } from "@metacircular/proto/metacrypt/v1/engine_pb";
import { PolicyService } from "@metacircular/proto/metacrypt/v1/policy_pb";
import { SysService } from "@metacircular/proto/metacrypt/v1/sys_pb";
import {
  bearerTransport,
  bothTransports,
  freePort,
  grpcOutcome,
  type MciasInstance,
  matrixPrincipals,
  restOutcome,
  startMcias,
} from "@metacircular/testkit";
import {
  client,
  readyAdmin,
  setupCa,
  startTestMetacrypt,
  type TestMetacrypt,
} from "./helpers/metacrypt.ts";

let mcias: MciasInstance;
let mc: TestMetacrypt;
const tokens: Record<string, string | undefined> = {};

before(async () => {
  mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  Object.assign(
    tokens,
    await matrixPrincipals(mcias, { service: "metacrypt", other: "mcr", foreignService: "mcns" }),
  );
  mc = await startTestMetacrypt({
    server: { listen_addr: "127.0.0.1:0", grpc_addr: `127.0.0.1:${await freePort()}` },
    mcias: { server_url: mcias.url, service_name: "metacrypt" },
    acme: { enabled: true },
  });
  const admin = await readyAdmin(mc.url, tokens.admin);
  await setupCa(admin);
  const rule = (id: string, body: object) =>
    admin("PUT", `/v1/policy/rules/${id}`, { id, ...body });
  await rule("agent-svc", {
    priority: 10,
    effect: "allow",
    subject: "system:mcp-agent",
    mount: "pki",
    operations: ["issue", "sign-csr"],
    names: ["*.svc.mcp.metacircular.net"],
  });
  await rule("users-read", {
    priority: 20,
    effect: "allow",
    subject: "role:user",
    mount: "pki",
    operations: ["list-certs"],
  });
});
after(async () => {
  await mc?.stop();
  await mcias?.stop();
});

type Who =
  | "admin"
  | "agent"
  | "other"
  | "human"
  | "guest"
  | "none"
  | "bogus"
  | "foreign"
  | "foreignSystem";
const WHO: Who[] = [
  "admin",
  "agent",
  "other",
  "human",
  "guest",
  "none",
  "bogus",
  "foreign",
  "foreignSystem",
];
const UNAUTH: Who[] = ["none", "bogus", "foreign", "foreignSystem"];
let n = 0;

const issue = (name: string) => ({
  mount: "pki",
  operation: "issue",
  data: { profile: "svc", common_name: name },
});
const matrix: Array<{ op: string; allow: Who[]; call: () => [string, string, unknown?] }> = [
  { op: "status", allow: WHO, call: () => ["GET", "/v1/sys/status"] },
  {
    op: "list mounts",
    allow: ["admin", "agent", "other", "human"],
    call: () => ["GET", "/v1/mounts"],
  },
  {
    op: "issue in-policy",
    allow: ["admin", "agent"],
    call: () => ["POST", "/v1/engine/request", issue(`m${n++}.svc.mcp.metacircular.net`)],
  },
  {
    op: "issue outside policy",
    allow: ["admin"],
    call: () => ["POST", "/v1/engine/request", issue("metacrypt.metacircular.net")],
  },
  {
    op: "list certs",
    allow: ["admin", "human"],
    call: () => ["POST", "/v1/engine/request", { mount: "pki", operation: "list-certs", data: {} }],
  },
  {
    op: "create mount",
    allow: ["admin"],
    call: () => ["POST", "/v1/mounts", { name: `ca${n++}`, type: "ca" }],
  },
  {
    op: "acme eab key",
    allow: ["admin", "agent", "other", "human"],
    call: () => ["POST", "/v1/acme/pki/eab"],
  },
  { op: "policy rules", allow: ["admin"], call: () => ["GET", "/v1/policy/rules"] },
  { op: "audit", allow: ["admin"], call: () => ["GET", "/v1/audit"] },
];

describe("REST", () => {
  for (const { op, allow, call } of matrix) {
    test(op, async () => {
      for (const who of WHO) {
        const [method, path, body] = call();
        const r = await client(mc.url, tokens[who])(method, path, body);
        if (allow.includes(who))
          assert.ok(r.status < 300, `${who} ${op}: ${r.status} ${JSON.stringify(r.json)}`);
        else assert.equal(r.status, UNAUTH.includes(who) ? 401 : 403, `${who} ${op}`);
      }
    });
  }

  test("seal by a non-admin is refused and leaves it unsealed; explain names the deciding rule", async () => {
    for (const who of ["agent", "human", "foreign"] as Who[])
      assert.ok((await client(mc.url, tokens[who])("POST", "/v1/sys/seal")).status >= 401);
    assert.equal((await client(mc.url)("GET", "/v1/sys/status")).json.sealed, false);
    const explain = async (username: string, account_type: string, names: string[]) =>
      (
        await client(mc.url, tokens.admin)("POST", "/v1/policy/explain", {
          subject: { username, account_type, roles: [] },
          mount: "pki",
          operation: "issue",
          names,
        })
      ).json;
    assert.deepEqual(await explain("mcp-agent", "system", ["x.svc.mcp.metacircular.net"]), {
      allowed: true,
      rule: "agent-svc",
      reason: "rule agent-svc (priority 10) allows",
    });
    assert.equal((await explain("mcp-agent", "system", ["example.com"])).rule, "default_deny");
    assert.equal(
      (await explain("mcr", "system", ["x.svc.mcp.metacircular.net"])).rule,
      "default_deny",
    );
  });
});

const rpc = (token: string | undefined) => {
  const transport = bearerTransport(mc.grpc!.url, token);
  return {
    sys: createClient(SysService, transport),
    mounts: createClient(MountService, transport),
    engine: createClient(EngineService, transport),
    policy: createClient(PolicyService, transport),
    acme: createClient(AcmeService, transport),
  };
};

describe("gRPC", () => {
  const code = async (p: Promise<unknown>): Promise<Code | "ok"> => {
    try {
      await p;
      return "ok";
    } catch (e) {
      return ConnectError.from(e).code;
    }
  };
  const want = (who: Who, allow: Who[]) =>
    allow.includes(who)
      ? "ok"
      : UNAUTH.includes(who)
        ? Code.Unauthenticated
        : Code.PermissionDenied;

  test("the same rules as REST", async () => {
    for (const who of WHO) {
      const c = rpc(tokens[who]);
      assert.equal(await code(c.sys.status({})), "ok", `${who} status`);
      assert.equal(
        await code(c.mounts.listMounts({})),
        want(who, ["admin", "agent", "other", "human"]),
        `${who} mounts`,
      );
      const req = (name: string) =>
        c.engine.request({
          mount: "pki",
          operation: "issue",
          data: { profile: "svc", common_name: name },
        });
      assert.equal(
        await code(req(`g${n++}.svc.mcp.metacircular.net`)),
        want(who, ["admin", "agent"]),
        `${who} issue`,
      );
      assert.equal(
        await code(req("metacrypt.metacircular.net")),
        want(who, ["admin"]),
        `${who} outside`,
      );
      assert.equal(await code(c.policy.listRules({})), want(who, ["admin"]), `${who} rules`);
      assert.equal(
        await code(c.acme.createEab({ mount: "pki" })),
        want(who, ["admin", "agent", "other", "human"]),
        `${who} acme eab`,
      );
      assert.equal(
        await code(c.sys.seal({})),
        who === "admin" ? "ok" : want(who, ["admin"]),
        `${who} seal`,
      );
      if (who === "admin")
        await client(mc.url)("POST", "/v1/sys/unseal", {
          password: "correct horse battery staple",
        });
    }
  });
});

bothTransports(
  "the agent issues in policy and is refused outside it, identically",
  async (transport) => {
    const names = ["both.svc.mcp.metacircular.net", "evil.example.com"];
    const out = [];
    for (const name of names) {
      const data = { profile: "svc", common_name: name };
      if (transport === "rest") {
        const r = await fetch(`${mc.url}/v1/engine/request`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokens.agent}` },
          body: JSON.stringify({ mount: "pki", operation: "issue", data }),
        });
        out.push(await restOutcome(r, (b) => (b as { chain?: string[] }).chain?.length));
      } else {
        const call = rpc(tokens.agent).engine.request({ mount: "pki", operation: "issue", data });
        out.push(await grpcOutcome(call, (m) => (m.result?.chain as string[] | undefined)?.length));
      }
    }
    return out;
  },
);

bothTransports("an ACME EAB key is made for the caller, the same over REST and gRPC", async (t) => {
  const audit = async () =>
    (await client(mc.url, tokens.admin)("GET", "/v1/audit?limit=1")).json.entries[0];
  const before = (await audit()).seq as number;
  const eab = (mount: string) =>
    t === "rest"
      ? fetch(`${mc.url}/v1/acme/${mount}/eab`, {
          method: "POST",
          headers: { Authorization: `Bearer ${tokens.agent}` },
        }).then((r) =>
          restOutcome(r, (b) => b as { kid: string; hmac_key: string; directory: string }),
        )
      : grpcOutcome(rpc(tokens.agent).acme.createEab({ mount }), (m) => ({
          kid: m.kid,
          hmac_key: m.hmacKey,
          directory: m.directory,
        }));
  const made = await eab("pki");
  assert.ok(made.ok);
  const row = await audit();
  assert.ok(row.seq > before);
  return {
    key: Buffer.from(made.value.hmac_key, "base64url").length,
    directory: made.value.directory === `${mc.url}/acme/pki/directory`,
    audit: [row.action, row.actor, row.target === made.value.kid],
    missingMount: await eab("nope").then((o) => (o.ok ? "ok" : o.code)),
  };
});
