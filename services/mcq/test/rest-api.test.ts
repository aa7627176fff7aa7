// The REST API against a real MCIAS: push, list (unread first, filters, FTS5 search), read the
// rendered document, mark read, re-push (read reset, previous version kept, rendered diff).
import assert from "node:assert/strict";
import { test } from "node:test";
import { failure, startStack } from "./helpers/stack.ts";

const DOC = [
  "# Deploy notes",
  "",
  "| Host | Role |",
  "| ---- | ---- |",
  "| rift | proxy |",
  "",
  "- [x] build",
  "- [ ] ship",
  "",
  "```go",
  'func main() { println("hi") }',
  "```",
  "",
  "The zebra crossing is ready.",
].join("\n");

test("push, list, read, search, mark read, re-push and the diff since last read", async (t) => {
  const s = await startStack(t);
  const alice = await s.token("alice");

  let r = await s.api("PUT", "/v1/documents/deploy", alice, { body: DOC, tags: ["Ops", "infra"] });
  assert.equal(r.status, 201);
  const created = (await r.json()) as Record<string, unknown>;
  assert.equal(created.title, "Deploy notes");
  assert.equal(created.version, 1);
  assert.equal(created.read, false);
  assert.equal(created.pushed_by, "alice");
  assert.deepEqual(created.tags, ["infra", "ops"]);
  assert.match(String(created.html), /<span class="sh-keyword">func<\/span>/);
  assert.match(String(created.html), /<table>/);
  assert.match(String(created.html), /type="checkbox" disabled checked/);

  await s.api("PUT", "/v1/documents/other", alice, { body: "plain words", title: "Other" });
  r = await s.api("POST", "/v1/documents/other/read", alice);
  assert.equal(((await r.json()) as { read: boolean }).read, true);

  r = await s.api("GET", "/v1/documents", alice);
  const list = ((await r.json()) as { documents: Array<{ slug: string; read: boolean }> })
    .documents;
  assert.deepEqual(
    list.map((d) => [d.slug, d.read]),
    [
      ["deploy", false],
      ["other", true],
    ],
  );
  const slugs = async (q: string) =>
    (
      (await (await s.api("GET", `/v1/documents?${q}`, alice)).json()) as {
        documents: Array<{ slug: string }>;
      }
    ).documents.map((d) => d.slug);
  assert.deepEqual(await slugs("unread=true"), ["deploy"]);
  assert.deepEqual(await slugs("tag=ops"), ["deploy"]);
  assert.deepEqual(await slugs("pushed_by=bob"), []);
  assert.deepEqual(await slugs("q=zebr"), ["deploy"]);
  assert.deepEqual(await slugs(`q=${encodeURIComponent('zebra" OR NOT x*(')}`), []);
  assert.deepEqual(await slugs("q=plain"), ["other"]);

  r = await s.api("GET", "/v1/documents/deploy/changes", alice);
  assert.deepEqual(await r.json(), { kind: "none", reason: "never_read" });
  await s.api("POST", "/v1/documents/deploy/read", alice);
  r = await s.api("PUT", "/v1/documents/deploy", alice, {
    body: DOC.replace("The zebra crossing is ready.", "The zebra crossing moved."),
  });
  assert.equal(r.status, 200);
  const replaced = (await r.json()) as { version: number; read: boolean; tags: string[] };
  assert.equal(replaced.version, 2);
  assert.equal(replaced.read, false);
  assert.deepEqual(replaced.tags, []);
  r = await s.api("GET", "/v1/documents/deploy/changes", alice);
  const ch = (await r.json()) as {
    kind: string;
    from_version: number;
    to_version: number;
    html: string;
  };
  assert.equal(ch.kind, "diff");
  assert.equal(ch.from_version, 1);
  assert.equal(ch.to_version, 2);
  assert.match(ch.html, /md-diff-del[\s\S]*is ready[\s\S]*md-diff-add[\s\S]*moved/);
  assert.deepEqual(await slugs("q=ready"), []);
  assert.deepEqual(await slugs("q=moved"), ["deploy"]);
});

test("bad input gets stable error codes; huge documents are highlighted by highlight.js", async (t) => {
  const s = await startStack(t, {
    extraToml: "[documents]\nmax_bytes = 4096\nhuge_bytes = 1024\n",
  });
  const alice = await s.token("alice");
  assert.deepEqual(
    await failure(await s.api("PUT", "/v1/documents/Bad%20Slug", alice, { body: "x" })),
    [400, "invalid_slug"],
  );
  assert.deepEqual(
    await failure(await s.api("PUT", "/v1/documents/a", alice, { body: "x".repeat(5000) })),
    [413, "document_too_large"],
  );
  assert.deepEqual(
    await failure(await s.api("PUT", "/v1/documents/a", alice, { body: "x", tags: ["no spaces"] })),
    [400, "invalid_tag"],
  );
  assert.deepEqual(await failure(await s.api("PUT", "/v1/documents/a", alice, { body: 1 })), [
    400,
    "invalid_request",
  ]);
  assert.deepEqual(await failure(await s.api("GET", "/v1/documents/missing", alice)), [
    404,
    "document_not_found",
  ]);
  assert.deepEqual(await failure(await s.api("GET", "/v1/documents?unread=maybe", alice)), [
    400,
    "invalid_query",
  ]);

  const code = "```ts\nconst answer = 42;\n```\n";
  const small = await s.api("PUT", "/v1/documents/small", alice, { body: code });
  assert.match(((await small.json()) as { html: string }).html, /class="sh-keyword"/);
  const huge = await s.api("PUT", "/v1/documents/huge", alice, {
    body: code + "word ".repeat(300),
  });
  assert.match(((await huge.json()) as { html: string }).html, /class="hljs-keyword"/);
});
