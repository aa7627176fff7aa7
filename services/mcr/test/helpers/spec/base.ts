// Spec points of the base endpoint, the challenge and the service-wide answers.
import assert from "node:assert/strict";
import { code, type SpecCheck } from "./target.ts";

export const baseChecks: SpecCheck[] = [
  {
    id: "base",
    point: "`/v2/`: 401 `UNAUTHORIZED` with a Bearer challenge without a token, 200 with one",
    async run(t) {
      const r = await t.reg.req("GET", "/v2/");
      assert.equal(r.status, 401);
      assert.equal(code(r), "UNAUTHORIZED");
      assert.match(r.header("www-authenticate") ?? "", /^Bearer realm="[^"]+",service="[^"]+"/);
      const ok = await t.reg.req("GET", "/v2/", { token: await t.token() });
      assert.equal(ok.status, 200);
      assert.equal(ok.header("docker-distribution-api-version"), "registry/2.0");
    },
  },
  {
    id: "challenge-scope",
    point: "a repository request's challenge names the scope it needs",
    async run(t) {
      const r = await t.reg.req("PUT", "/v2/spec/challenge/manifests/latest", { body: "{}" });
      assert.equal(r.status, 401);
      assert.match(
        r.header("www-authenticate") ?? "",
        /scope="repository:spec\/challenge:(pull,push|push,pull)"/,
      );
    },
  },
  {
    id: "insufficient-scope",
    point: 'a token for one repository gets 401 `error="insufficient_scope"` on another',
    async run(t) {
      const tok = await t.token("repository:spec/scope-one:pull");
      const r = await t.reg.req("GET", "/v2/spec/scope-other/tags/list", { token: tok });
      assert.equal(r.status, 401);
      assert.match(r.header("www-authenticate") ?? "", /error="insufficient_scope"/);
    },
  },
  {
    id: "unknown-endpoint",
    point: "an unknown `/v2` path: 404",
    async run(t) {
      const tok = await t.token("repository:spec/unknown:pull");
      const r = await t.reg.req("GET", "/v2/spec/unknown/not/an/endpoint", { token: tok });
      assert.equal(r.status, 404);
    },
  },
  {
    id: "method-not-allowed",
    point: "an unsupported method: 405 with `Allow` (RFC 9110)",
    async run(t) {
      const tok = await t.token("repository:spec/method:pull,push");
      const r = await t.reg.req("POST", "/v2/spec/method/tags/list", { token: tok });
      assert.equal(r.status, 405);
      assert.match(r.header("allow") ?? "", /GET/);
    },
  },
];
