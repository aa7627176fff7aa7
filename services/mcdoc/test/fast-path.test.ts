// The hot path (pages and images answered before the app) against a running mcdoc over a local
// repository: the same headers the app sets (CSP, referrer, nosniff, ETag, Cache-Control), 304
// on a matching If-None-Match, HEAD without a body, percent-encoded keys, and everything it does
// not hold (folders without their slash, unknown pages, other methods) left to the app. Then a
// change of one page: every page carries the new revision, the search index drops the old words
// of that page only.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { createLogger } from "@metacircular/mcdsl/log";
import { tempDirFor } from "@metacircular/testkit";
import { startMcdoc } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { waitRendered } from "./helpers/stack.ts";

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>';

test("cached pages and images on the fast path; a change re-indexes its page", async (t) => {
  const dir = tempDirFor(t, "mcdoc-fast-");
  const src = dir.join("docs");
  mkdirSync(`${src}/guide`, { recursive: true });
  writeFileSync(`${src}/README.md`, "# Front\n\nSee [a](guide/a%20b.md).\n");
  writeFileSync(`${src}/guide/a b.md`, "# Spaced\n\nquokka words ![d](../dot.svg)\n");
  writeFileSync(`${src}/other.md`, "# Other\n\nwombat words\n");
  writeFileSync(`${src}/dot.svg`, SVG);
  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    cache: { dir: dir.join("cache") },
    log: { level: "silent" },
    refresh: { interval_seconds: 0 },
    repos: [{ name: "docs", path: src }],
  });
  const h = await startMcdoc(cfg, { logger: createLogger({ service: "mcdoc", level: "silent" }) });
  t.after(() => h.close());
  const url = h.http.url;
  await waitRendered(url, "docs");

  const page = await fetch(`${url}/r/docs/guide/a%20b.md?utm=1`);
  assert.equal(page.status, 200);
  const body = await page.text();
  assert.match(body, /quokka words/);
  assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(page.headers.get("content-length"), String(Buffer.byteLength(body)));
  assert.match(page.headers.get("content-security-policy")!, /default-src 'none'/);
  assert.equal(page.headers.get("referrer-policy"), "same-origin");
  assert.equal(page.headers.get("x-content-type-options"), "nosniff");
  assert.equal(page.headers.get("cache-control"), "public, max-age=60, must-revalidate");
  const etag = page.headers.get("etag")!;
  assert.match(etag, /^"[\w-]+"$/);

  const again = await fetch(`${url}/r/docs/guide/a%20b.md`, {
    headers: { "if-none-match": `"x", W/${etag}` },
  });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get("etag"), etag);
  const head = await fetch(`${url}/r/docs/guide/a%20b.md`, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), String(Buffer.byteLength(body)));

  const svg = await fetch(`${url}/raw/docs/dot.svg`);
  assert.equal(await svg.text(), SVG);
  assert.equal(svg.headers.get("content-type"), "image/svg+xml");
  assert.match(svg.headers.get("content-security-policy")!, /sandbox/);
  assert.equal(svg.headers.get("cache-control"), "public, max-age=300");

  // Left to the app: the folder redirect, unknown pages, malformed escapes, other methods.
  const folder = await fetch(`${url}/r/docs/guide`, { redirect: "manual" });
  assert.equal(folder.status, 301);
  assert.equal((await fetch(`${url}/r/docs/nope.md`)).status, 404);
  assert.equal((await fetch(`${url}/r/docs/%E0%A4%A.md`)).status, 404);
  assert.equal((await fetch(`${url}/r/docs/other.md`, { method: "POST" })).status, 404);
  const search = async (q: string) => (await fetch(`${url}/search?q=${q}`)).text();
  assert.match(await search("quokka"), /a%20b\.md/);

  writeFileSync(`${src}/guide/a b.md`, "# Spaced\n\nplatypus words\n");
  await h.refreshAll();
  const other = await (await fetch(`${url}/r/docs/other.md`)).text();
  const revision = (await (await fetch(`${url}/v1/repos`)).json()) as {
    repos: Array<{ revision: string }>;
  };
  assert.match(other, new RegExp(`<code>${revision.repos[0]!.revision.slice(0, 12)}</code>`));
  assert.match(other, /wombat words/);
  assert.doesNotMatch(await search("quokka"), /a%20b\.md/);
  assert.match(await search("platypus"), /a%20b\.md/);
  assert.match(await search("wombat"), /other\.md/);
  const changed = await fetch(`${url}/r/docs/guide/a%20b.md`, {
    headers: { "if-none-match": etag },
  });
  assert.equal(changed.status, 200);
});
