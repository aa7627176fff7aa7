// Authorization matrix of the policy tools (MCAT's backend) against the real MCIAS process: every
// REST route and gRPC method refuses users, guests, system accounts, no token, a forged token and
// valid tokens for other services; administrators pass; a tool account (`[policy]
// tool_accounts`) passes only with an administrator's token for that tool in
// X-Mcias-On-Behalf-Of, and is then recorded as acting for that administrator.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { PolicyService } from "@metacircular/proto/mcias/v1/policy_pb";
import {
  bearerTransport,
  loginToken,
  type MatrixTokens,
  type MciasInstance,
  matrixPrincipals,
  startMcias,
  USER_PASSWORD,
} from "@metacircular/testkit";
import { ACCESS_MAP } from "../src/server/access-map.ts";

let m: MciasInstance;
let p: MatrixTokens;
before(async () => {
  m = await startMcias({
    grpc: true,
    extraToml: '[policy]\ndefault = "allow"\ntool_accounts = ["mcat"]\n',
  });
  p = await matrixPrincipals(m, { service: "mcias" });
  await m.createAccount("mcat", { type: "system" });
});
after(() => m?.stop());

const TOOL_ROUTES = Object.entries(ACCESS_MAP)
  .filter(([, a]) => a === "admin-delegated")
  .map(([k]) => k);

const BODIES: Record<string, unknown> = {
  "POST /v1/policy/trace": { username: "alice", service_name: "mcq" },
  "POST /v1/policy/dry-run": { rules: [] },
  "POST /v1/policy/lint": { rules: [] },
  "POST /v1/policy/apply": { rules: [] },
  "POST /v1/policy/versions/:version/rollback": {},
};

async function call(key: string, token?: string, onBehalf?: string): Promise<Response> {
  const [method, path] = key.split(" ") as [string, string];
  const body = BODIES[key];
  return fetch(`${m.url}${path.replace(":version", "1")}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(onBehalf ? { "X-Mcias-On-Behalf-Of": onBehalf } : {}),
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

async function outcome(r: Response): Promise<string> {
  const b = (await r.json()) as { error?: { code: string } };
  return `${r.status} ${b.error?.code ?? "ok"}`;
}

test("REST: only administrators (or a tool acting for one) reach the policy tools", async () => {
  assert.equal(TOOL_ROUTES.length, 9);
  const tool = await m.issueSystemToken("mcat", "mcias");
  const notTool = await m.issueSystemToken("mcp-agent", "mcias");
  const adminForMcat = await loginToken(m, m.adminUsername, m.adminPassword, "mcat");
  const adminForMcq = await loginToken(m, m.adminUsername, m.adminPassword, "mcq");
  const aliceForMcat = await loginToken(m, "alice", USER_PASSWORD, "mcat");
  const refused: Array<[string, string | undefined, string | undefined, string]> = [
    ["user", p.human, undefined, "403 forbidden"],
    ["guest", p.guest, undefined, "403 forbidden"],
    ["system account", p.agent, undefined, "403 forbidden"],
    ["no token", undefined, undefined, "401 unauthenticated"],
    ["forged token", p.bogus, undefined, "401 invalid_token"],
    ["admin token for mcat", adminForMcat, undefined, "401 wrong_audience"],
    ["system token for mc-proxy", p.foreignSystem, undefined, "401 wrong_audience"],
    ["tool alone", tool, undefined, "403 forbidden"],
    ["tool for a user", tool, aliceForMcat, "403 forbidden"],
    ["tool for an admin's mcq token", tool, adminForMcq, "401 wrong_audience"],
    ["tool for a forged token", tool, "x.y.z", "401 invalid_delegated_token"],
    ["a non-tool account for an admin", notTool, adminForMcat, "403 delegation_refused"],
    ["a user's token for mcat as the bearer", aliceForMcat, adminForMcat, "401 wrong_audience"],
  ];
  for (const key of TOOL_ROUTES) {
    for (const [who, token, onBehalf, want] of refused)
      assert.equal(await outcome(await call(key, token, onBehalf)), want, `${key} as ${who}`);
    for (const [who, token, onBehalf] of [
      ["admin", p.admin, undefined],
      ["tool for the admin", tool, adminForMcat],
    ] as const) {
      const r = await call(key, token, onBehalf);
      const text = await r.text();
      assert.ok(r.status < 300, `${key} as ${who}: ${r.status} ${text}`);
    }
  }
  // The tool acted for the administrator: MCIAS's audit names the administrator.
  const audit = (await (await m.api("GET", "/v1/audit?event=policy_applied&limit=10")).json()) as {
    events: { actor: string }[];
  };
  assert.deepEqual(new Set(audit.events.map((e) => e.actor)), new Set([m.adminUsername]));
});

test("gRPC: the policy tools refuse every non-admin", async () => {
  const methods = [
    (c: ReturnType<typeof client>) => c.traceLogin({ username: "alice", serviceName: "mcq" }),
    (c: ReturnType<typeof client>) => c.dryRunPolicy({}),
    (c: ReturnType<typeof client>) => c.lintPolicy({}),
    (c: ReturnType<typeof client>) => c.applyPolicy({}),
    (c: ReturnType<typeof client>) => c.listPolicyVersions({}),
    (c: ReturnType<typeof client>) => c.getPolicyVersion({ version: 1n }),
    (c: ReturnType<typeof client>) => c.rollbackPolicy({ version: 1n }),
  ];
  function client(token?: string) {
    return createClient(
      PolicyService,
      token ? bearerTransport(m.grpcUrl!, token) : createGrpcTransport({ baseUrl: m.grpcUrl! }),
    );
  }
  for (const [who, token, code] of [
    ["user", p.human, 7],
    ["guest", p.guest, 7],
    ["system account", p.agent, 7],
    ["no token", undefined, 16],
    ["forged", p.bogus, 16],
    ["token for mc-proxy", p.foreignSystem, 16],
  ] as const)
    for (const [i, f] of methods.entries())
      await assert.rejects(
        f(client(token)),
        (e: { code?: number }) => e.code === code,
        `method ${i} as ${who}`,
      );
  for (const f of methods) await f(client(p.admin));
});
