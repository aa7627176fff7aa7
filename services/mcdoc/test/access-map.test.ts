// The one access map covers every route of the app (default deny otherwise), and the strict
// config refuses unknown keys, non-HTTP(S) remotes, option-like refs and ambiguous repositories.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { missingRoutes } from "@metacircular/mcdsl/http";
import { createLogger } from "@metacircular/mcdsl/log";
import { tempDirFor } from "@metacircular/testkit";
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
