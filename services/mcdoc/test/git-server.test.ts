// Acceptance against a real git server on loopback (git http-backend behind a Node HTTP server,
// a post-receive hook posting Gitea-signed webhooks): the handbook is rendered with rewritten
// links, images, highlighting and broken links reported; caching headers and 304s; no path
// escapes the rendered tree; a push + signed webhook shows the new content; a bad signature
// changes nothing; with the git server stopped the last render keeps being served, also after
// a restart of mcdoc (the cached commit).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { eventually, tempDirFor } from "@metacircular/testkit";
import { sign } from "../src/webhook/signature.ts";
import { repoState, SECRET, startDocStack, waitRendered } from "./helpers/stack.ts";

const get = (base: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers, redirect: "manual" });

function webhook(base: string, body: string, headers: Record<string, string>) {
  return fetch(`${base}/v1/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-gitea-event": "push", ...headers },
    body,
  });
}

test("git server → rendered site → push webhook → refused webhook → source down", {
  timeout: 300_000,
}, async (t) => {
  const dir = tempDirFor(t, "mcdoc-git-");
  const s = await startDocStack(dir);
  t.after(() => s.stop());
  const base = s.mcdoc.url;

  await t.test("pages, folders, links, images, highlighting", async () => {
    const home = await (await get(base, "/")).text();
    assert.match(home, /The Handbook/);
    const front = await (await get(base, "/r/handbook/")).text();
    assert.match(front, /href="\/r\/handbook\/guide\/intro\.md"/);
    assert.match(front, /href="\/r\/handbook\/guide\/deep\/nested\.md#md-storage-layout"/);
    assert.match(front, /src="\/raw\/handbook\/images\/logo\.png"/);
    assert.match(front, /<span class="sh-keyword">export<\/span>/);
    assert.match(front, /data-lang="mermaid"/);
    const intro = await (await get(base, "/r/handbook/guide/intro.md")).text();
    assert.match(intro, /href="\/r\/handbook\/README\.md"/);
    assert.match(intro, /href="\/raw\/handbook\/images\/diagram\.svg"/);
    assert.match(intro, /aria-current="page"[^>]*>Introduction|>Introduction<\/a>/);
    assert.match(intro, /href="#md-install"/);
    const folder = await get(base, "/r/handbook/guide");
    assert.equal(folder.status, 301);
    assert.equal(folder.headers.get("location"), "/r/handbook/guide/");
    assert.match(await (await get(base, "/r/handbook/guide/")).text(), /Introduction/);
  });

  await t.test("images with their content types; svg sandboxed", async () => {
    const png = await get(base, "/raw/handbook/images/logo.png");
    assert.equal(png.status, 200);
    assert.equal(png.headers.get("content-type"), "image/png");
    assert.equal(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
      "PNG",
    );
    const svg = await get(base, "/raw/handbook/images/diagram.svg");
    assert.equal(svg.headers.get("content-type"), "image/svg+xml");
    assert.match(svg.headers.get("content-security-policy") ?? "", /sandbox/);
  });

  await t.test("no path leaves the rendered tree", async () => {
    for (const p of [
      "/raw/handbook/../../../../etc/passwd",
      "/raw/handbook/%2e%2e/%2e%2e/etc/passwd",
      "/raw/handbook/..%2f..%2fetc%2fpasswd",
      "/r/handbook/%2e%2e%2f%2e%2e%2fmcdoc.toml",
      "/raw/handbook/images%2f..%2f..%2fcache/mcdoc.sqlite",
      "/raw/handbook/%ff",
      "/r/nope/README.md",
    ]) {
      const res = await get(base, p);
      assert.ok(res.status === 404 || res.status === 301, `${p} → ${res.status}`);
      assert.doesNotMatch(await res.text(), /root:|SQLite format/);
    }
  });

  await t.test("broken links are reported per repository", async () => {
    const broken = await (await get(base, "/broken/handbook")).text();
    assert.match(broken, /missing\.md/);
    assert.match(broken, /nope\.png/);
    assert.doesNotMatch(broken, /intro\.md<\/code>/);
    assert.equal((await repoState(base, "handbook"))?.broken_links, 2);
  });

  await t.test("ETag, Cache-Control and 304", async () => {
    const first = await get(base, "/r/handbook/guide/intro.md");
    const etag = first.headers.get("etag")!;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    assert.match(first.headers.get("cache-control")!, /max-age=\d+/);
    const again = await get(base, "/r/handbook/guide/intro.md", { "if-none-match": etag });
    assert.equal(again.status, 304);
    assert.equal(
      (await get(base, "/", { "if-none-match": (await get(base, "/")).headers.get("etag")! }))
        .status,
      304,
    );
  });

  await t.test("search across repositories", async () => {
    const page = await (await get(base, "/search?q=zebra")).text();
    assert.match(page, /href="\/r\/handbook\/guide\/deep\/nested\.md"/);
    const none = await (await get(base, '/search?q="OR NOT*')).text();
    assert.match(none, /Nothing found|id="hits"/);
  });

  await t.test("a push with its signed webhook shows the new content", async () => {
    s.clone.write("guide/intro.md", "# Introduction\n\nVersion two, pushed through the hook.\n");
    const rev = await s.clone.commitAndPush("intro: version two");
    await waitRendered(base, "handbook", rev);
    assert.match(await (await get(base, "/r/handbook/guide/intro.md")).text(), /Version two/);
  });

  await t.test("bad or missing signatures are refused and change nothing", async () => {
    const before = (await repoState(base, "handbook"))?.revision;
    const body = JSON.stringify({ ref: "refs/heads/main", repository: { name: "handbook" } });
    const bad = await webhook(base, body, {
      "x-gitea-signature": sign("wrong-secret", Buffer.from(body)),
    });
    assert.equal(bad.status, 403);
    assert.equal(
      ((await bad.json()) as { error: { code: string } }).error.code,
      "signature_invalid",
    );
    const gh = await webhook(base, body, { "x-hub-signature-256": `sha256=${"0".repeat(64)}` });
    assert.equal(gh.status, 403);
    const missing = await webhook(base, body, {});
    assert.equal(missing.status, 401);
    assert.equal(
      ((await missing.json()) as { error: { code: string } }).error.code,
      "signature_missing",
    );
    // A push whose hook signs with the wrong secret: the content must not change.
    writeFileSync(s.secretFile, "not-the-shared-secret");
    s.clone.write("guide/intro.md", "# Introduction\n\nVersion three must not appear.\n");
    await s.clone.commitAndPush("intro: version three, badly signed");
    const refused = await eventually(async () => {
      const m = await (await get(base, "/metrics")).text();
      return /mcdoc_webhooks_total\{result="refused"\} [4-9]/.test(m);
    }, 30_000);
    assert.ok(refused, "the badly signed push webhook was not seen");
    assert.equal((await repoState(base, "handbook"))?.revision, before);
    assert.doesNotMatch(
      await (await get(base, "/r/handbook/guide/intro.md")).text(),
      /Version three/,
    );
    assert.doesNotMatch(s.mcdoc.child.output(), new RegExp(SECRET));
  });

  await t.test("a GitHub-signed webhook is accepted", async () => {
    const body = JSON.stringify({
      ref: "refs/heads/other",
      repository: { name: "handbook", full_name: "x/handbook" },
    });
    const res = await webhook(base, body, {
      "x-hub-signature-256": `sha256=${sign(SECRET, Buffer.from(body))}`,
    });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { status: "ignored", repos: [] });
  });

  await t.test(
    "git server stopped: the last render is still served, also after a restart",
    async () => {
      const served = (await repoState(base, "handbook"))?.revision;
      await s.git.stop();
      const body = JSON.stringify({ ref: "refs/heads/main", repository: { name: "handbook" } });
      const res = await webhook(base, body, {
        "x-gitea-signature": sign(SECRET, Buffer.from(body)),
      });
      assert.equal(res.status, 202);
      assert.ok(
        await eventually(async () => (await repoState(base, "handbook"))?.error != null, 60_000),
      );
      assert.equal((await repoState(base, "handbook"))?.revision, served);
      assert.match(await (await get(base, "/r/handbook/guide/intro.md")).text(), /Version two/);
      assert.match(await (await get(base, "/")).text(), /showing the last good render/);
      await s.mcdoc.child.stop();
      s.mcdoc = await s.startMcdoc();
      await waitRendered(s.mcdoc.url, "handbook", served as string);
      assert.match(
        await (await get(s.mcdoc.url, "/r/handbook/guide/intro.md")).text(),
        /Version two/,
      );
    },
  );
});
