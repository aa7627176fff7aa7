// Authorization matrix over REST and gRPC against a REAL MCIAS: admin, mcp-agent, a system
// account managing its own name, another system account, a human user, a guest, no token, a
// bogus token and valid tokens issued for another service (the admin's token for MCIAS, the
// agent's system token for mc-proxy) — each allowed or refused as specified.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
// The MCIAS test helper (real child process) from the shared test kit.
import {
  bothTransports,
  freeTcpUdpPort as freeDnsPort,
  grpcOutcome,
  type MciasInstance,
  matrixPrincipals,
  restOutcome,
  startMcias,
} from "@metacircular/testkit";
import { ApiOps } from "../src/records/api-ops.ts";
import { grpcClients } from "./helpers/grpc.ts";
import { ADMIN, startTestMcns, type TestMcns } from "./helpers/mcns.ts";
import { client } from "./helpers/tokens.ts";

const Z = "svc.mcp.metacircular.net";
let mcias: MciasInstance;
let mcns: TestMcns;
const tokens: Record<string, string | undefined> = {};

before(async () => {
  mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  // Login tokens are bound to the service they were issued for, so the admin logs in to mcns;
  // `foreign` and `foreignSystem` are valid MCIAS tokens for other services: refused like none.
  Object.assign(tokens, await matrixPrincipals(mcias, { service: "mcns", other: "mcr" }));
  await mcias.createAccount("mcq", { type: "system" });
  tokens.self = await mcias.issueSystemToken("mcq", "mcns");
  mcns = await startTestMcns({
    server: { listen_addr: "127.0.0.1:0", grpc_addr: `127.0.0.1:${await freeDnsPort()}` },
    mcias: { server_url: mcias.url, service_name: "mcns" },
  });
  new ApiOps(mcns.store).createZone(ADMIN, { name: Z });
});
after(async () => {
  await mcns?.stop();
  await mcias?.stop();
});

type Who =
  | "admin"
  | "agent"
  | "self"
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
  "self",
  "other",
  "human",
  "guest",
  "none",
  "bogus",
  "foreign",
  "foreignSystem",
];
const UNAUTHENTICATED: Who[] = ["none", "bogus", "foreign", "foreignSystem"];
// Expected HTTP status per caller: 2xx allowed, otherwise the refusal.
const refused = { guest: 403, none: 401, bogus: 401, foreign: 401, foreignSystem: 401 } as const;

const matrix: Array<{ op: string; allow: Who[] }> = [
  { op: "list zones", allow: ["admin", "agent", "self", "other", "human"] },
  { op: "create zone", allow: ["admin"] },
  { op: "list records", allow: ["admin", "agent", "self", "other", "human"] },
  { op: "create own-name record", allow: ["admin", "agent", "self"] },
  { op: "create other record", allow: ["admin", "agent"] },
  { op: "update own-name record", allow: ["admin", "agent", "self"] },
  { op: "delete own-name record", allow: ["admin", "agent", "self"] },
  { op: "audit log", allow: ["admin"] },
];

let n = 0;
async function restCall(op: string, token: string | undefined): Promise<number> {
  const c = client(mcns.api!.url, token);
  const ops = new ApiOps(mcns.store);
  const own = () =>
    ops.createRecord(ADMIN, Z, { name: "mcq", type: "TXT", value: `"seed ${n++}"` }).id;
  switch (op) {
    case "list zones":
      return (await c("GET", "/v1/zones")).status;
    case "create zone":
      return (await c("POST", "/v1/zones", { name: `z${n++}.example` })).status;
    case "list records":
      return (await c("GET", `/v1/zones/${Z}/records`)).status;
    case "create own-name record":
      return (
        await c("POST", `/v1/zones/${Z}/records`, {
          name: "mcq",
          type: "A",
          value: `10.0.0.${n++ % 250}`,
        })
      ).status;
    case "create other record":
      return (
        await c("POST", `/v1/zones/${Z}/records`, {
          name: "mcr2",
          type: "A",
          value: `10.1.0.${n++ % 250}`,
        })
      ).status;
    case "update own-name record":
      return (
        await c("PUT", `/v1/zones/${Z}/records/${own()}`, {
          name: "mcq",
          type: "TXT",
          value: `"upd ${n++}"`,
        })
      ).status;
    case "delete own-name record":
      return (await c("DELETE", `/v1/zones/${Z}/records/${own()}`)).status;
    case "audit log":
      return (await c("GET", "/v1/audit")).status;
  }
  throw new Error(op);
}

describe("REST", () => {
  for (const { op, allow } of matrix) {
    test(op, async () => {
      for (const who of WHO) {
        const status = await restCall(op, tokens[who]);
        if (allow.includes(who))
          assert.ok(status >= 200 && status < 300, `${who} ${op}: ${status}`);
        else assert.equal(status, refused[who as keyof typeof refused] ?? 403, `${who} ${op}`);
      }
    });
  }

  test("a system account cannot move another's record onto its own name (or vice versa)", async () => {
    const id = new ApiOps(mcns.store).createRecord(ADMIN, Z, {
      name: "mcr",
      type: "A",
      value: "10.9.0.1",
    }).id;
    const c = client(mcns.api!.url, tokens.self);
    const r = await c("PUT", `/v1/zones/${Z}/records/${id}`, {
      name: "mcq",
      type: "A",
      value: "10.9.0.2",
    });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, "record_forbidden");
    const h = await client(mcns.api!.url, tokens.human)("POST", `/v1/zones/${Z}/records`, {
      name: "x",
      type: "A",
      value: "10.0.0.1",
    });
    assert.equal(h.json.error.code, "read_only");
  });
});

describe("gRPC", () => {
  const rpc = (token: string | undefined) => grpcClients(mcns.grpc!.url, token);
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
      : UNAUTHENTICATED.includes(who)
        ? Code.Unauthenticated
        : Code.PermissionDenied;

  test("CreateRecord / ListRecords / CreateZone follow the same rules", async () => {
    for (const who of WHO) {
      const c = rpc(tokens[who]);
      assert.equal(
        await code(
          c.records.createRecord({ zone: Z, name: "mcq", type: "A", value: `10.2.0.${n++ % 250}` }),
        ),
        want(who, ["admin", "agent", "self"]),
        `${who} create own`,
      );
      assert.equal(
        await code(
          c.records.createRecord({
            zone: Z,
            name: "other",
            type: "A",
            value: `10.3.0.${n++ % 250}`,
          }),
        ),
        want(who, ["admin", "agent"]),
        `${who} create other`,
      );
      assert.equal(
        await code(c.records.listRecords({ zone: Z })),
        want(who, ["admin", "agent", "self", "other", "human"]),
        `${who} list`,
      );
      assert.equal(
        await code(c.zones.createZone({ name: `g${n++}.example` })),
        want(who, ["admin"]),
        `${who} create zone`,
      );
    }
  });

  test("errors map to gRPC codes", async () => {
    const c = rpc(tokens.admin);
    assert.equal(await code(c.records.getRecord({ zone: Z, id: 999999n })), Code.NotFound);
    assert.equal(
      await code(c.records.createRecord({ zone: Z, name: "h", type: "A", value: "nope" })),
      Code.InvalidArgument,
    );
    await c.records.createRecord({ zone: Z, name: "cn", type: "CNAME", value: "target" });
    const conflict = await code(
      c.records.createRecord({ zone: Z, name: "cn", type: "A", value: "10.0.0.1" }),
    );
    assert.ok(
      conflict === Code.AlreadyExists || conflict === Code.FailedPrecondition,
      String(conflict),
    );
    const r = await c.records.listRecords({ zone: Z, name: "cn" });
    assert.equal(r.records[0]!.type, "CNAME");
    assert.equal(r.records[0]!.fqdn, `cn.${Z}.`);
    // RFC 9460 records over gRPC: canonical presentation back, SvcParam errors are invalid input.
    const h = await c.records.createRecord({
      zone: Z,
      name: "svc",
      type: "HTTPS",
      value: "1 . port=8443 alpn=h2",
    });
    assert.equal(h.record?.value, '1 . alpn="h2" port=8443');
    assert.equal(
      await code(
        c.records.createRecord({ zone: Z, name: "svc", type: "HTTPS", value: "1 . mandatory=ech" }),
      ),
      Code.InvalidArgument,
    );
  });
});

test("public routes still answer a caller holding another service's token", async () => {
  const c = client(mcns.api!.url, tokens.foreign);
  assert.equal((await c("GET", "/v1/health")).status, 200);
});

/** One record action through REST or gRPC as the given caller, in transport-neutral terms. */
async function createRecordVia(via: "rest" | "grpc", who: Who, name: string, value: string) {
  const token = tokens[who];
  if (via === "rest")
    return restOutcome(
      await fetch(`${mcns.api!.url}/v1/zones/${Z}/records`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ name, type: "A", value }),
      }),
      (b) => (b as { name: string }).name,
    );
  return grpcOutcome(
    grpcClients(mcns.grpc!.url, token).records.createRecord({ zone: Z, name, type: "A", value }),
    (r) => r.record?.name,
  );
}

bothTransports("records: a token for another service is refused alike on REST and gRPC", (via) =>
  Promise.all(
    (["foreign", "foreignSystem", "bogus", "none", "guest", "other"] as Who[]).map((who) =>
      createRecordVia(via, who, "mcq", `10.4.0.${n++ % 250}`),
    ),
  ),
);

bothTransports("records: the system account creates its own name alike on REST and gRPC", (via) =>
  createRecordVia(via, "self", "mcq", `10.5.0.${n++ % 250}`),
);
