// A Gitea organisation as MCDoc's source: the Gitea API stand-in (test/helpers/gitea-api.ts:
// paging capped at 2 per page with Link and X-Total-Count, token authentication) listing
// repositories whose clone URLs are on a real git server (git http-backend). Private, archived and
// empty repositories are left out; a repository added to the organisation appears after a
// refresh, one removed disappears (pages, home and search); with the API unreachable the known
// repositories keep being served.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { createLogger } from "@metacircular/mcdsl/log";
import { freePort, tempDirFor } from "@metacircular/testkit";
import { startMcdoc } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { startGitServer, workClone } from "./helpers/git-server.ts";
import { startGiteaApi } from "./helpers/gitea-api.ts";
import { waitRendered } from "./helpers/stack.ts";

const TOKEN = "gitea-api-token-0123456789";

test("a Gitea organisation: paging, skipped repositories, added, removed, API down", async (t) => {
  const dir = tempDirFor(t, "mcdoc-gitea-");
  const git = await startGitServer(dir.join("git"));
  t.after(() => git.stop());
  const api = await startGiteaApi({ org: "handbooks", token: TOKEN, maxLimit: 2 });
  t.after(() => api.stop());
  const hook = { url: `http://127.0.0.1:${await freePort()}/`, secretFile: dir.join("none") };
  const publish = async (name: string, extra: Record<string, boolean> = {}) => {
    const clone_url = git.createRepo(name, hook);
    const c = workClone(dir.join(`work-${name}`), clone_url);
    c.write("README.md", `# ${name}\n\nThe ${name}word handbook.\n`);
    await c.commitAndPush("first");
    api.repos.push({ name, clone_url, description: `About ${name}`, ...extra });
  };
  for (const name of ["alpha", "beta", "gamma", "delta"]) await publish(name);
  await publish("secret", { private: true });
  await publish("old", { archived: true });
  api.repos.push({ name: "blank", clone_url: git.createRepo("blank", hook), empty: true });
  writeFileSync(dir.join("token"), `${TOKEN}\n`);

  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    cache: { dir: dir.join("cache") },
    log: { level: "silent" },
    refresh: { interval_seconds: 0, timeout_seconds: 30 },
    gitea: { url: api.url, org: "handbooks", token_file: dir.join("token") },
  });
  const h = await startMcdoc(cfg, { logger: createLogger({ service: "mcdoc", level: "silent" }) });
  t.after(() => h.close());
  const url = h.http.url;
  const names = async () =>
    ((await (await fetch(`${url}/v1/repos`)).json()) as { repos: Array<{ name: string }> }).repos
      .map((r) => r.name)
      .join(",");
  const text = async (path: string) => (await fetch(`${url}${path}`)).text();
  for (const name of ["alpha", "beta", "gamma", "delta"]) await waitRendered(url, name);

  // 7 repositories, 2 a page (MCDoc asks for 50): four pages, every one with the token.
  assert.equal(await names(), "alpha,beta,delta,gamma");
  const pages = api.requests.map((r) => /page=(\d+)/.exec(r)?.[1]);
  assert.deepEqual(pages, ["1", "2", "3", "4"]);
  assert.ok(api.requests.every((r) => r.endsWith(`token ${TOKEN}`) && r.includes("limit=50")));
  assert.match(await text("/r/gamma/"), /gammaword handbook/);
  assert.match(await text("/"), /About delta/);
  assert.match(await text("/search?q=deltaword"), /href="\/r\/delta\/README\.md"/);
  assert.equal((await fetch(`${url}/r/secret/`)).status, 404);
  assert.match(await text("/search?q=secretword"), /id="no-hits"/);

  await publish("epsilon");
  api.repos.splice(
    api.repos.findIndex((r) => r.name === "beta"),
    1,
  );
  await h.refreshAll();
  assert.equal(await names(), "alpha,delta,epsilon,gamma");
  assert.match(await text("/r/epsilon/"), /epsilonword handbook/);
  assert.match(await text("/search?q=epsilonword"), /href="\/r\/epsilon\/README\.md"/);
  assert.equal((await fetch(`${url}/r/beta/`)).status, 404);
  assert.doesNotMatch(await text("/"), /About beta/);
  assert.match(await text("/search?q=betaword"), /id="no-hits"/);

  await api.stop();
  await h.refreshAll();
  assert.equal(await names(), "alpha,delta,epsilon,gamma");
  assert.match(await text("/r/alpha/"), /alphaword handbook/);
  assert.match(await text("/"), /About epsilon/);
});
