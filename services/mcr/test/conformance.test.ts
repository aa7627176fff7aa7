// The distribution spec's points as REST calls on the real listener over TLS, with registry
// tokens from the real token endpoint (MCIAS behind it): status codes, headers and error codes
// exactly as the spec gives them. The spec's points are the checks in helpers/spec (also run
// against Debian's docker-registry by differential.test.ts); MCR's token endpoint, challenge
// realm and service endpoints are tested here only.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { MciasInstance } from "@metacircular/testkit";
import { blobOf, buildImage, OCI_MANIFEST } from "./helpers/images.ts";
import { pushBlob, pushManifest, type RegistryClient } from "./helpers/registry-client.ts";
import { all, code, type SpecTarget, specChecks } from "./helpers/spec/index.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

let stack: Stack;
let mcias: MciasInstance;
let c: RegistryClient;

before(async () => {
  stack = await startStack();
  ({ mcias, reg: c } = stack);
});
after(() => stack?.stop());

const admin = (...scopes: string[]) => stack.adminToken(...scopes);

describe("base and token endpoint", () => {
  test("/v2/ challenges without a token and answers 200 with one", async () => {
    const r = await c.req("GET", "/v2/");
    assert.equal(r.status, 401);
    assert.equal(code(r), "UNAUTHORIZED");
    assert.match(
      r.header("www-authenticate") ?? "",
      /^Bearer realm="https:\/\/127\.0\.0\.1:\d+\/v2\/token",service="mcr-registry"$/,
    );
    const ok = await c.req("GET", "/v2/", { token: await admin() });
    assert.equal(ok.status, 200);
    assert.equal(ok.header("docker-distribution-api-version"), "registry/2.0");
  });

  test("a Host header that is not a plain host:port never reaches the challenge", async () => {
    const r = await c.req("GET", "/v2/", {
      headers: { Host: 'evil",error="x' },
      servername: "localhost",
    });
    assert.equal(r.status, 401);
    assert.match(
      r.header("www-authenticate") ?? "",
      /^Bearer realm="https:\/\/localhost\/v2\/token",service="mcr-registry"$/,
    );
  });

  test("the OAuth2 POST form works, wrong passwords get 401 UNAUTHORIZED", async () => {
    const form = new URLSearchParams({
      grant_type: "password",
      username: mcias.adminUsername,
      password: mcias.adminPassword,
      service: "mcr-registry",
      scope: "repository:p/q:pull",
    });
    const r = await c.req("POST", "/v2/token", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    assert.equal(r.status, 200, r.body.toString());
    assert.ok(r.json().access_token);
    const bad = await c.tokenResponse(mcias.adminUsername, "wrong-password", [
      "repository:p/q:pull",
    ]);
    assert.equal(bad.status, 401);
    assert.equal(code(bad), "UNAUTHORIZED");
  });
});

describe("distribution spec (every check, also run against docker-registry)", () => {
  const target = (): SpecTarget => ({ name: "mcr", reg: c, token: (...s) => admin(...s) });
  for (const check of specChecks) test(check.point, () => check.run(target()));
});

describe("MCR's answers beyond the spec's minimum", () => {
  const repo = "conf/extra";
  let tok: string;
  before(async () => {
    tok = await admin(all(repo));
  });

  test("an out-of-order chunk's 416 carries Range and Location to resume from", async () => {
    const start = await c.req("POST", `/v2/${repo}/blobs/uploads/`, { token: tok });
    const loc = start.header("location")!;
    const patch = (from: number) =>
      c.req("PATCH", loc, {
        token: tok,
        headers: { "Content-Range": `${from}-${from + 999}` },
        body: randomBytes(1000),
      });
    assert.equal((await patch(0)).status, 202);
    const wrong = await patch(5000);
    assert.equal(wrong.status, 416);
    assert.equal(wrong.header("range"), "0-999");
    assert.equal(wrong.header("location"), loc);
  });

  test("a manifest GET whose Accept excludes its media type is 404", async () => {
    const img = buildImage([blobOf(randomBytes(100))]);
    for (const b of [img.config, ...img.layers])
      assert.equal((await pushBlob(c, tok, repo, b.data, b.digest)).status, 201);
    assert.equal((await pushManifest(c, tok, repo, "v1", img.manifest, OCI_MANIFEST)).status, 201);
    const r = await c.req("GET", `/v2/${repo}/manifests/v1`, {
      token: tok,
      headers: { Accept: "application/vnd.docker.distribution.manifest.list.v2+json" },
    });
    assert.equal(r.status, 404);
  });

  test("a failed monolithic POST ?digest= leaves no upload session behind", async () => {
    const sessions = () => ({
      rows: (stack.mcr.ctx.q.db.prepare("SELECT id FROM uploads").all() as unknown[]).length,
      files: stack.mcr.ctx.store.uploadFiles().length,
    });
    const before = sessions();
    const body = randomBytes(200_000);
    for (const digest of ["sha256:xyz", "sha256:ABCDEF", blobOf(randomBytes(10)).digest]) {
      const r = await c.req("POST", `/v2/${repo}/blobs/uploads/?digest=${digest}`, {
        token: tok,
        headers: { "Content-Type": "application/octet-stream" },
        body,
      });
      assert.equal(r.status, 400, digest);
      assert.equal(code(r), "DIGEST_INVALID");
    }
    assert.deepEqual(sessions(), before, "no session (row or file) the client cannot reach");
  });
});

describe("service endpoints", () => {
  test("/v1/health and /metrics are public; /metrics counts /v2 requests by route", async () => {
    const h = await stack.api.request("GET", "/v1/health");
    assert.deepEqual((h.body as { status: string }).status, "ok");
    const m = await c.req("GET", "/metrics");
    assert.equal(m.status, 200);
    assert.match(
      m.body.toString(),
      /mcr_v2_requests_total\{route="manifest",method="PUT",status="201"\} \d+/,
    );
    assert.match(m.body.toString(), /mcr_blob_bytes_received_total \d+/);
  });
});
