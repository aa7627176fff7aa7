// The one access map covers every route of the app (default deny otherwise), and the strict
// config refuses unknown keys, non-HTTP(S) remotes, option-like refs and ambiguous repositories.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { missingRoutes } from "@metacircular/mcdsl/http";
import { createLogger } from "@metacircular/mcdsl/log";
import { matrixPrincipals, startMcias, tempDirFor } from "@metacircular/testkit";
import { startMcdoc } from "../src/app.ts";
import { configSchema, loadMcdocConfig } from "../src/config.ts";
import { accessRules } from "../src/server/access.ts";

test("every route is in the access map", async (t) => {
  const dir = tempDirFor(t, "mcdoc-access-");
  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    cache: { dir: dir.path },
    log: { level: "silent" },
  });
  const h = await startMcdoc(cfg, { logger: createLogger({ service: "mcdoc", level: "silent" }) });
  t.after(() => h.close());
  assert.deepEqual(missingRoutes(h.app, accessRules), []);
  const res = await fetch(`${h.http.url}/v1/webhook`, { method: "POST", body: "{}" });
  assert.equal(res.status, 403);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, "webhook_disabled");
});

// MCDoc takes no tokens: the site is public and the webhook is authenticated by its signature
// alone. Every principal of the matrix, a valid MCIAS token for another service included, gets
// exactly what an anonymous caller gets: the pages, and a webhook refused for lack of signature.
test("authorization matrix: no token, including a valid one for another service, opens anything", async (t) => {
  const dir = tempDirFor(t, "mcdoc-authz-");
  writeFileSync(dir.join("secret"), "shared-webhook-secret");
  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    cache: { dir: dir.path },
    log: { level: "silent" },
    webhook: { secret_file: dir.join("secret") },
  });
  const h = await startMcdoc(cfg, { logger: createLogger({ service: "mcdoc", level: "silent" }) });
  t.after(() => h.close());
  const m = await startMcias({ extraToml: '[policy]\ndefault = "allow"' });
  t.after(() => m.stop());
  const tokens = await matrixPrincipals(m, { service: "mcq" });
  for (const [who, token] of Object.entries(tokens)) {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const hook = await fetch(`${h.http.url}/v1/webhook`, { method: "POST", headers, body: "{}" });
    assert.equal(hook.status, 401, who);
    const code = ((await hook.json()) as { error: { code: string } }).error.code;
    assert.equal(code, "signature_missing", who);
    const home = await fetch(`${h.http.url}/`, { headers });
    assert.equal(home.status, 200, who);
    await home.body?.cancel();
  }
});

test("config: strict keys, HTTP(S) remotes only, one of url and path", (t) => {
  const dir = tempDirFor(t, "mcdoc-config-");
  const file = dir.join("mcdoc.toml");
  const load = (extra: string) => {
    writeFileSync(
      file,
      `[server]\nlisten_addr = "127.0.0.1:0"\n[cache]\ndir = "${dir.path}"\n${extra}`,
    );
    return loadMcdocConfig(file, {});
  };
  assert.equal(load("").refresh.interval_seconds, 900);
  const repo = (body: string) => load(`[[repos]]\nname = "a"\n${body}\n`);
  assert.equal(repo('url = "https://git.x/a.git"').repos[0]!.ref, "main");
  assert.throws(() => repo('url = "file:///etc"'));
  assert.throws(() => repo('url = "ext::sh -c id"'));
  assert.throws(() => repo('url = "https://git.x/a.git"\nref = "--upload-pack=id"'));
  assert.throws(() => repo('url = "https://git.x/a.git"\npath = "/x"'));
  assert.throws(() => repo(""));
  assert.throws(() => load("[site]\nunknown = 1\n"));
  assert.throws(() => load('[[repos]]\nname = "../x"\npath = "/x"\n'));
});
