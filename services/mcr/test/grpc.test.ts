// The gRPC admin API beside the REST one: for every principal of the authorization matrix
// (lib/testkit matrixPrincipals: admin, system accounts, a user, a guest, no token, a forged
// token and valid tokens for other services) and every operation, both transports must give
// the same outcome, and that outcome must be the expected one. Then a deletion through each
// transport, and the gRPC health check (public).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { Code, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { grpcCodeFor } from "@metacircular/mcdsl/errors";
import { HealthService } from "@metacircular/proto/common/v1/health_pb";
import { AdminService } from "@metacircular/proto/mcr/v1/admin_pb";
import { RegistryService } from "@metacircular/proto/mcr/v1/registry_pb";
import {
  freePort,
  grpcOutcome,
  type MatrixTokens,
  matrixPrincipals,
  type Outcome,
} from "@metacircular/testkit";
import { buildImage, OCI_MANIFEST, tarLayer } from "./helpers/images.ts";
import { pushBlob, pushManifest } from "./helpers/registry-client.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

type Who = keyof MatrixTokens;
const OUTSIDERS: Who[] = ["none", "bogus", "foreign", "foreignSystem"];

let s: Stack;
let tokens: MatrixTokens;
let ca: string;

function clients(token?: string) {
  const auth: Interceptor = (next) => (req) => {
    if (token) req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  const transport = createGrpcTransport({
    baseUrl: s.mcr.grpc!.url,
    nodeOptions: { ca },
    interceptors: [auth],
  });
  return {
    registry: createClient(RegistryService, transport),
    admin: createClient(AdminService, transport),
    health: createClient(HealthService, transport),
  };
}

async function pushImage(repo: string, tags: string[]): Promise<string> {
  const token = await s.adminToken(`repository:${repo}:pull,push`);
  const img = buildImage([tarLayer(2000)]);
  for (const b of [img.config, ...img.layers]) await pushBlob(s.reg, token, repo, b.data, b.digest);
  for (const t of tags)
    assert.equal(
      (await pushManifest(s.reg, token, repo, t, img.manifest, OCI_MANIFEST)).status,
      201,
    );
  return img.digest;
}

before(async () => {
  s = await startStack({ grpc: `127.0.0.1:${await freePort()}` });
  ca = readFileSync(s.mcr.caCertPath, "utf8");
  tokens = await matrixPrincipals(s.mcias, { service: "mcr" });
  const p = s.mcr.policy;
  p.create({
    priority: 10,
    repository: "team/**",
    subject_kind: "role",
    subject: "user",
    actions: ["pull"],
    effect: "allow",
  });
  p.create({
    priority: 20,
    repository: "team/alice/*",
    subject_kind: "user",
    subject: "alice",
    actions: ["delete"],
    effect: "allow",
  });
  p.create({
    priority: 30,
    repository: "ci/**",
    subject_kind: "system",
    subject: "mcp-agent",
    actions: ["pull", "delete"],
    effect: "allow",
  });
  await pushImage("team/app", ["v1"]);
  await pushImage("team/alice/app", ["v1", "v2", "v3"]);
  await pushImage("ci/tool", ["v1"]);
});
after(() => s?.stop());

async function rest<T>(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  pick?: (b: unknown) => T,
): Promise<Outcome<T | undefined>> {
  const r = await s.api.request(method, path, {
    ...(token ? { token } : {}),
    ...(body === undefined ? {} : { body }),
  });
  if (r.status < 300) return { ok: true, value: pick ? pick(r.body) : undefined };
  const code = (r.body as { error?: { code?: string } } | null)?.error?.code ?? "";
  return { ok: false, grpcCode: grpcCodeFor(r.status, code), code };
}

const names = (xs: Array<{ name: string }>) => xs.map((x) => x.name).sort();
type Row = {
  op: string;
  rest: (t?: string) => Promise<Outcome<unknown>>;
  grpc: (t?: string) => Promise<Outcome<unknown>>;
  /** The expected outcome for an authenticated principal: "ok" or "<Code>/<code>". */
  want: (w: Who) => string;
};

const adminOnly = (ok: string) => (w: Who) => (w === "admin" ? ok : "PermissionDenied/forbidden");
const denied = "PermissionDenied/denied";

const ROWS: Row[] = [
  {
    op: "list repositories",
    rest: (t) =>
      rest("GET", "/v1/repositories", t, undefined, (b) =>
        names((b as { repositories: Array<{ name: string }> }).repositories),
      ),
    grpc: (t) =>
      grpcOutcome(clients(t).registry.listRepositories({}), (m) => names(m.repositories)),
    want: () => "ok",
  },
  {
    op: "list tags of team/alice/app",
    rest: (t) =>
      rest("GET", "/v1/repositories/team/alice/app/tags", t, undefined, (b) =>
        (b as { tags: Array<{ tag: string }> }).tags.map((x) => x.tag),
      ),
    grpc: (t) =>
      grpcOutcome(clients(t).registry.listTags({ repository: "team/alice/app" }), (m) =>
        m.tags.map((x) => x.tag),
      ),
    want: (w) => (w === "admin" || w === "human" ? "ok" : denied),
  },
  {
    op: "list tags of ci/tool",
    rest: (t) => rest("GET", "/v1/repositories/ci/tool/tags", t),
    grpc: (t) => grpcOutcome(clients(t).registry.listTags({ repository: "ci/tool" })),
    want: (w) => (w === "admin" || w === "agent" ? "ok" : denied),
  },
  {
    op: "list tags of a missing repository",
    rest: (t) => rest("GET", "/v1/repositories/team/none/tags", t),
    grpc: (t) => grpcOutcome(clients(t).registry.listTags({ repository: "team/none" })),
    want: (w) => (w === "admin" || w === "human" ? "NotFound/name_unknown" : denied),
  },
  {
    op: "delete a missing tag",
    rest: (t) => rest("DELETE", "/v1/repositories/team/alice/app/tags/nope", t),
    grpc: (t) =>
      grpcOutcome(clients(t).registry.deleteTag({ repository: "team/alice/app", tag: "nope" })),
    want: (w) => (w === "admin" || w === "human" ? "NotFound/manifest_unknown" : denied),
  },
  {
    op: "delete a manifest by a non-digest",
    rest: (t) => rest("DELETE", "/v1/repositories/team/alice/app/manifests/v1", t),
    grpc: (t) =>
      grpcOutcome(
        clients(t).registry.deleteManifest({ repository: "team/alice/app", digest: "v1" }),
      ),
    want: () => "InvalidArgument/digest_invalid",
  },
  {
    op: "gc dry run",
    rest: (t) =>
      rest("POST", "/v1/gc", t, { dry_run: true }, (b) => (b as { dry_run: boolean }).dry_run),
    grpc: (t) => grpcOutcome(clients(t).admin.runGc({ dryRun: true }), (m) => m.dryRun),
    want: adminOnly("ok"),
  },
  {
    op: "list policies",
    rest: (t) =>
      rest(
        "GET",
        "/v1/policies",
        t,
        undefined,
        (b) => (b as { policies: unknown[] }).policies.length,
      ),
    grpc: (t) => grpcOutcome(clients(t).admin.listPolicies({}), (m) => m.policies.length),
    want: adminOnly("ok"),
  },
  {
    op: "create an invalid policy",
    rest: (t) =>
      rest("POST", "/v1/policies", t, {
        priority: 1,
        repository: "Bad Name",
        subject_kind: "any",
        actions: ["pull"],
        effect: "allow",
      }),
    grpc: (t) =>
      grpcOutcome(
        clients(t).admin.createPolicy({
          rule: {
            priority: 1,
            repository: "Bad Name",
            subjectKind: "any",
            actions: ["pull"],
            effect: "allow",
          },
        }),
      ),
    want: adminOnly("InvalidArgument/invalid_request"),
  },
  {
    op: "delete a missing policy",
    rest: (t) => rest("DELETE", "/v1/policies/999999", t),
    grpc: (t) => grpcOutcome(clients(t).admin.deletePolicy({ id: 999999n })),
    want: adminOnly("NotFound/policy_not_found"),
  },
  {
    op: "audit, filtered",
    rest: (t) =>
      rest("GET", "/v1/audit?limit=2&action=push", t, undefined, (b) =>
        (b as { entries: Array<{ action: string }> }).entries.map((e) => e.action),
      ),
    grpc: (t) =>
      grpcOutcome(clients(t).admin.listAudit({ limit: 2, action: "push" }), (m) =>
        m.entries.map((e) => e.action),
      ),
    want: adminOnly("ok"),
  },
];

const show = (o: Outcome<unknown>) => (o.ok ? "ok" : `${Code[o.grpcCode]}/${o.code}`);

for (const row of ROWS)
  test(`REST and gRPC agree for every principal: ${row.op}`, async () => {
    for (const w of Object.keys(tokens) as Who[]) {
      const restOut = await row.rest(tokens[w]);
      const grpcOut = await row.grpc(tokens[w]);
      assert.deepStrictEqual(
        grpcOut,
        restOut,
        `${w}: REST ${show(restOut)}, gRPC ${show(grpcOut)}`,
      );
      const want = OUTSIDERS.includes(w) ? "Unauthenticated" : row.want(w);
      assert.equal(show(restOut).startsWith(want), true, `${w}: ${show(restOut)}, want ${want}`);
    }
  });

test("the policy filters the repository list alike on both transports", async () => {
  const r = await clients(tokens.human).registry.listRepositories({});
  assert.deepEqual(names(r.repositories), ["team/alice/app", "team/app"]);
  const a = await clients(tokens.agent).registry.listRepositories({});
  assert.deepEqual(names(a.repositories), ["ci/tool"]);
});

test("a deletion through each transport; rules and audit round-trip over gRPC; health is public", async () => {
  const c = clients(tokens.human);
  assert.equal(
    (await rest("DELETE", "/v1/repositories/team/alice/app/tags/v2", tokens.human)).ok,
    true,
  );
  await c.registry.deleteTag({ repository: "team/alice/app", tag: "v3" });
  const tags = await c.registry.listTags({ repository: "team/alice/app" });
  assert.deepEqual(
    tags.tags.map((t) => t.tag),
    ["v1"],
  );
  const admin = clients(tokens.admin);
  const made = await admin.admin.createPolicy({
    rule: {
      priority: 50,
      repository: "x/**",
      subjectKind: "system",
      subject: "ci-bot",
      actions: ["push", "pull"],
      effect: "deny",
    },
  });
  assert.deepEqual(made.rule?.actions, ["push", "pull"]);
  await admin.admin.deletePolicy({ id: made.rule!.id });
  const log = await admin.admin.listAudit({ limit: 3 });
  assert.deepEqual(log.entries.map((e) => e.action).slice(0, 2), [
    "policy_delete",
    "policy_create",
  ]);
  const page2 = await admin.admin.listAudit({ limit: 3, before: log.entries[2]!.id });
  assert.ok(page2.entries.every((e) => e.id < log.entries[2]!.id));
  assert.equal((await clients().health.check({})).status, "ok");
});
