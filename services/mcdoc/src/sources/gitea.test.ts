// The Gitea API reader's parts: which repositories are published, when paging stops (Link,
// X-Total-Count, neither), and a seeded fuzz test (MC_FUZZ_SEED replays) of both over arbitrary
// JSON values and headers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { asGiteaRepo, lastPage } from "./gitea.ts";

const repo = (extra: Record<string, unknown> = {}) => ({
  name: "docs",
  full_name: "org/docs",
  clone_url: "https://git.test/org/docs.git",
  html_url: "https://git.test/org/docs",
  default_branch: "trunk",
  ...extra,
});

test("public, non-archived, non-empty repositories with a plain name are published", () => {
  assert.deepEqual(asGiteaRepo(repo(), undefined), {
    name: "docs",
    fullName: "org/docs",
    description: "",
    cloneUrl: "https://git.test/org/docs.git",
    htmlUrl: "https://git.test/org/docs",
    ref: "trunk",
  });
  assert.equal(asGiteaRepo(repo(), "v1")?.ref, "v1");
  for (const bad of [
    { private: true },
    { archived: true },
    { empty: true },
    { name: "../x" },
    { name: "" },
    { clone_url: "file:///etc" },
    { clone_url: "ssh://git@git.test/x.git" },
  ])
    assert.equal(asGiteaRepo(repo(bad), undefined), undefined, JSON.stringify(bad));
});

test("paging stops on the Link header, else X-Total-Count, else a short or empty page", () => {
  const h = (o: Record<string, string>) => new Headers(o);
  const next = '<https://git.test/api/v1/orgs/o/repos?limit=2&page=2>; rel="next"';
  const last = '<https://git.test/api/v1/orgs/o/repos?limit=2&page=1>; rel="first"';
  assert.equal(lastPage(h({ link: next }), 2, 2, 50), false);
  assert.equal(lastPage(h({ link: last, "x-total-count": "9" }), 2, 4, 50), true);
  assert.equal(lastPage(h({ "x-total-count": "5" }), 2, 4, 50), false);
  assert.equal(lastPage(h({ "x-total-count": "5" }), 1, 5, 50), true);
  assert.equal(lastPage(h({}), 50, 50, 50), false);
  assert.equal(lastPage(h({}), 49, 99, 50), true);
  assert.equal(lastPage(h({ link: next }), 0, 4, 50), true);
});

test("fuzz: arbitrary repository objects and paging headers never throw", () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const values = [null, true, false, 0, -1, "", "x", "https://h/x.git", "main", [], {}, 1e308];
  const keys = ["name", "full_name", "clone_url", "html_url", "private", "archived", "empty"];
  for (let i = 0; i < 3000; i++) {
    const o: Record<string, unknown> = {};
    for (const k of keys) if (r.int(2)) o[k] = r.pick(values);
    if (r.int(3) === 0) o.name = r.bytes(r.int(8)).toString("latin1");
    const got = asGiteaRepo(r.int(10) ? o : r.pick(values), undefined);
    if (got) {
      assert.match(got.name, /^[A-Za-z0-9][A-Za-z0-9._-]*$/, replayHint(seed));
      assert.match(got.cloneUrl, /^https?:\/\//, replayHint(seed));
    }
    const headers = new Headers();
    if (r.int(2)) headers.set("link", r.bytes(r.int(40)).toString("base64"));
    if (r.int(2)) headers.set("x-total-count", String(r.int(100) - 10));
    assert.equal(typeof lastPage(headers, r.int(60), r.int(200), 50), "boolean", replayHint(seed));
  }
});
