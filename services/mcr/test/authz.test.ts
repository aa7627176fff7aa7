// Authorization against a REAL MCIAS: the token endpoint under the repository policy (denied
// principals get the spec's 403 DENIED, partial grants, MCIAS tokens as passwords only for this
// service and this account), the filtered catalog, and the admin API's matrix including valid
// tokens issued for another service.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { JsonClient } from "@metacircular/mcdsl/auth";
import { type MciasInstance, startMcias } from "@metacircular/testkit";
import { startTestMcr, type TestMcr } from "./helpers/mcr.ts";
import { RegistryClient } from "./helpers/registry-client.ts";
import { mciasLogin } from "./helpers/stack.ts";

let mcias: MciasInstance;
let mcr: TestMcr;
let c: RegistryClient;
let api: JsonClient;
const PW = { alice: "alice-password-123", bob: "bob-password-1234", visitor: "guest-password-123" };
const tokens: Record<string, string | undefined> = {};

before(async () => {
  mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  await mcias.createAccount("alice", { roles: ["user"], password: PW.alice });
  await mcias.createAccount("bob", { roles: ["user"], password: PW.bob });
  await mcias.createAccount("visitor", { roles: ["guest"], password: PW.visitor });
  await mcias.createAccount("ci-bot", { type: "system" });
  mcr = await startTestMcr(mcias);
  c = new RegistryClient(mcr.url, readFileSync(mcr.caCertPath, "utf8"));
  api = new JsonClient(mcr.url, mcr.caCertPath);
  const rule = (
    priority: number,
    repository: string,
    kind: "user" | "system" | "role",
    subject: string,
    actions: Array<"pull" | "push" | "delete">,
    effect: "allow" | "deny",
  ) => mcr.policy.create({ priority, repository, subject_kind: kind, subject, actions, effect });
  rule(5, "team/secret", "user", "bob", ["pull"], "deny");
  rule(10, "team/**", "role", "user", ["pull"], "allow");
  rule(20, "team/alice/*", "user", "alice", ["push", "delete"], "allow");
  rule(30, "ci/**", "system", "ci-bot", ["pull", "push"], "allow");
  for (const r of ["team/secret", "team/alice/app", "team/x", "ci/app"])
    mcr.ctx.q.ensureRepo(r, Date.now());
  tokens.admin = await mciasLogin(mcias, mcias.adminUsername, mcias.adminPassword);
  tokens.alice = await mciasLogin(mcias, "alice", PW.alice);
  tokens.bob = await mciasLogin(mcias, "bob", PW.bob);
  tokens.system = await mcias.issueSystemToken("ci-bot", "mcr");
  tokens.foreign = mcias.adminToken; // a valid MCIAS token, issued for mcias
  tokens.foreignSystem = await mcias.issueSystemToken("ci-bot", "mcns");
  tokens.bogus = "not-a-token";
});
after(async () => {
  api?.close();
  await mcr?.stop();
  await mcias?.stop();
});

const granted = async (user: string, pw: string, scope: string) => {
  const r = await c.tokenResponse(user, pw, [scope]);
  if (r.status !== 200) return { status: r.status, code: r.json().errors?.[0]?.code as string };
  const payload = JSON.parse(Buffer.from(r.json().token.split(".")[1], "base64url").toString());
  return { status: 200, access: payload.access as Array<{ name: string; actions: string[] }> };
};

describe("token endpoint under the policy", () => {
  test("allowed actions are granted, partial grants keep only the allowed ones", async () => {
    const a = await granted("alice", PW.alice, "repository:team/alice/app:pull,push,delete");
    assert.deepEqual(a.access, [
      { type: "repository", name: "team/alice/app", actions: ["pull", "push", "delete"] },
    ]);
    const b = await granted("bob", PW.bob, "repository:team/x:pull,push");
    assert.deepEqual(b.access?.[0]?.actions, ["pull"]);
  });

  test("a denied principal is refused with 403 DENIED and audited", async () => {
    assert.deepEqual(await granted("bob", PW.bob, "repository:team/alice/app:push"), {
      status: 403,
      code: "DENIED",
    });
    assert.deepEqual(await granted("bob", PW.bob, "repository:team/secret:pull"), {
      status: 403,
      code: "DENIED",
    });
    assert.deepEqual(await granted("visitor", PW.visitor, "repository:team/x:pull"), {
      status: 403,
      code: "DENIED",
    });
    assert.equal((await granted("alice", PW.alice, "repository:team/secret:pull")).status, 200);
    const denied = mcr.ctx.audit.list({ limit: 10, action: "token_denied" });
    assert.ok(denied.some((e) => e.actor === "bob" && e.repository === "team/secret"));
  });

  test("a pull-only token cannot push: 401 insufficient_scope", async () => {
    const tok = await c.token("bob", PW.bob, ["repository:team/x:pull,push"]);
    const r = await c.req("POST", "/v2/team/x/blobs/uploads/", { token: tok });
    assert.equal(r.status, 401);
    assert.match(r.header("www-authenticate") ?? "", /error="insufficient_scope"/);
  });

  test("an MCIAS token as password: only for mcr, only for its own account", async () => {
    assert.equal((await granted("ci-bot", tokens.system!, "repository:ci/app:push")).status, 200);
    assert.equal(
      (await granted("ci-bot", tokens.foreignSystem!, "repository:ci/app:push")).status,
      401,
    );
    assert.equal((await granted("alice", tokens.system!, "repository:ci/app:push")).status, 401);
  });

  test("an MCIAS token is no registry token, and a registry token no admin-API token", async () => {
    const r = await c.req("GET", "/v2/", { token: tokens.admin! });
    assert.equal(r.status, 401);
    const reg = await c.token("alice", PW.alice, []);
    assert.equal((await api.request("GET", "/v1/repositories", { token: reg })).status, 401);
  });

  test("the catalog lists only what the caller may pull", async () => {
    const tok = await c.token("bob", PW.bob, ["registry:catalog:*"]);
    const r = await c.req("GET", "/v2/_catalog", { token: tok });
    assert.deepEqual(r.json().repositories, ["team/alice/app", "team/x"]);
  });
});

type Who = "admin" | "alice" | "bob" | "system" | "none" | "bogus" | "foreign" | "foreignSystem";
const WHO: Who[] = ["admin", "alice", "bob", "system", "none", "bogus", "foreign", "foreignSystem"];

describe("admin API authorization matrix", () => {
  const expect =
    (allowed: Who[], denied = 403) =>
    (w: Who) =>
      allowed.includes(w)
        ? 200
        : ["none", "bogus", "foreign", "foreignSystem"].includes(w)
          ? 401
          : denied;
  const cases: Array<[string, string, unknown, (w: Who) => number]> = [
    ["GET", "/v1/health", undefined, () => 200],
    ["GET", "/v1/repositories", undefined, expect(["admin", "alice", "bob", "system"])],
    ["GET", "/v1/repositories/team/alice/app/tags", undefined, expect(["admin", "alice", "bob"])],
    ["GET", "/v1/repositories/team/secret/tags", undefined, expect(["admin", "alice"])],
    ["GET", "/v1/policies", undefined, expect(["admin"])],
    ["POST", "/v1/gc", { dry_run: true }, expect(["admin"])],
    ["GET", "/v1/audit", undefined, expect(["admin"])],
    [
      "DELETE",
      "/v1/repositories/team/alice/app/tags/nope",
      undefined,
      (w) => (w === "admin" || w === "alice" ? 404 : expect([])(w)),
    ],
  ];
  for (const [method, path, body, want] of cases)
    test(`${method} ${path}`, async () => {
      for (const w of WHO) {
        const token = tokens[w];
        const r = await api.request(method, path, {
          ...(body ? { body } : {}),
          ...(token ? { token } : {}),
        });
        assert.equal(r.status, want(w), `${w}: ${JSON.stringify(r.body)}`);
      }
    });

  test("the repositories list is filtered by the policy", async () => {
    const r = await api.request("GET", "/v1/repositories", { token: tokens.bob! });
    const names = (r.body as { repositories: Array<{ name: string }> }).repositories.map(
      (x) => x.name,
    );
    assert.deepEqual(names, ["team/alice/app", "team/x"]);
  });
});
