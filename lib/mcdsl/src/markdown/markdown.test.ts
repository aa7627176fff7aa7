import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import {
  hljsHighlighter,
  loadShiki,
  MarkdownRenderer,
  markdownBlocks,
  renderMarkdown,
  renderMarkdownDiff,
  slugify,
} from "./index.ts";

const GFM = [
  "# Release notes",
  "",
  "| Name | Port |",
  "| ---- | ---: |",
  "| mcq  | 8443 |",
  "",
  "- [x] done",
  "- [ ] open",
  "",
  "A footnote[^1].",
  "",
  "[^1]: The note.",
  "",
  "```ts",
  "const x: number = 1;",
  "```",
  "",
  "## Release notes",
].join("\n");

test("GFM: tables, task lists, footnotes, anchors and a table of contents", () => {
  const r = renderMarkdown(GFM);
  assert.match(
    r.html,
    /<table>[\s\S]*<th>Name<\/th>[\s\S]*<td style="text-align:right">8443<\/td>/,
  );
  assert.match(r.html, /<ul class="md-tasks">/);
  assert.match(
    r.html,
    /<input class="md-task" type="checkbox" disabled checked aria-label="done"> done/,
  );
  assert.match(
    r.html,
    /<input class="md-task" type="checkbox" disabled aria-label="not done"> open/,
  );
  assert.match(r.html, /class="footnotes"/);
  assert.match(r.html, /<h1 id="md-release-notes">/);
  assert.match(r.html, /<h2 id="md-release-notes-1">/);
  assert.deepEqual(
    r.toc.map((e) => [e.level, e.id, e.text]),
    [
      [1, "md-release-notes", "Release notes"],
      [2, "md-release-notes-1", "Release notes"],
    ],
  );
  assert.equal(r.title, "Release notes");
  assert.equal(r.highlighter, "hljs");
  assert.match(
    r.html,
    /<pre class="md-code" data-lang="ts"><code><span class="hljs-keyword">const<\/span>/,
  );
});

test("pushed HTML, event handlers and script URLs stay inert", () => {
  const src = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[click](javascript:alert(3)) [v](vbscript:msgbox) [d](data:text/html;base64,PHNjcmlwdD4=)",
    "![i](javascript:alert(4))",
    '```"><script>alert(5)</script>',
    "code",
    "```",
  ].join("\n\n");
  const { html } = renderMarkdown(src);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img[^>]*onerror/i);
  assert.doesNotMatch(html, /href="(javascript|vbscript|data):/i);
  assert.doesNotMatch(html, /src="javascript:/i);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test("links carry rel=nofollow noopener noreferrer; heading permalinks do not", () => {
  const { html } = renderMarkdown("# T\n\n[x](https://example.org) https://example.com");
  assert.match(html, /<a href="https:\/\/example.org" rel="nofollow noopener noreferrer">/);
  assert.match(html, /<a class="md-anchor" href="#md-t" aria-label="link to this section">#<\/a>/);
});

test("rewriteUrl maps link and image URLs and reports the originals; permalinks stay", () => {
  const src = "# T\n\n[a](b.md#x) ![i](img/p.png) https://example.org [j](javascript:alert(1))";
  const r = renderMarkdown(src, { rewriteUrl: (u, kind) => `/site/${kind}/${u}` });
  assert.match(r.html, /href="\/site\/link\/b\.md#x"/);
  assert.match(r.html, /src="\/site\/image\/img\/p\.png"/);
  assert.match(r.html, /href="https:\/\/example\.org"/);
  assert.match(r.html, /href="#md-t"/);
  assert.doesNotMatch(r.html, /href="[^"]*javascript:/);
  assert.deepEqual(r.links, [
    { url: "b.md#x", kind: "link" },
    { url: "img/p.png", kind: "image" },
  ]);
  assert.equal(renderMarkdown(src).links, undefined);
});

test("Shiki highlights with classes, never inline styles; huge sources fall back to highlight.js", async () => {
  const shiki = await loadShiki();
  const r = renderMarkdown("```typescript\nconst a = 'x';\n```\n", { highlighter: shiki });
  assert.equal(r.highlighter, "shiki");
  assert.match(r.html, /<span class="sh-keyword">const<\/span>/);
  assert.doesNotMatch(r.html, /style=/);
  const big = renderMarkdown("```ts\nlet a = 1;\n```\n", { highlighter: shiki, hugeBytes: 5 });
  assert.equal(big.highlighter, "hljs");
  const unknown = renderMarkdown("```nosuchlang\n<b>\n```\n", { highlighter: shiki });
  assert.equal(unknown.highlighter, "none");
  assert.match(unknown.html, /<code>&lt;b&gt;\n<\/code>/);
  assert.equal(hljsHighlighter.highlight("x", "nosuchlang"), null);
});

test("blocks and the rendered diff", () => {
  assert.deepEqual(markdownBlocks("# A\n\npara\none\n\n```\nx\n\ny\n```\n"), [
    "# A",
    "para\none",
    "```\nx\n\ny\n```",
  ]);
  const d = renderMarkdownDiff("# A\n\nold text\n\nsame\n", "# A\n\nnew text\n\nsame\n");
  assert.equal(d.added, 1);
  assert.equal(d.removed, 1);
  assert.match(d.html, /<section class="md-diff-del" aria-label="Removed">[\s\S]*old text/);
  assert.match(d.html, /<section class="md-diff-add" aria-label="Added">[\s\S]*new text/);
  assert.match(d.html, /1 unchanged block</);
});

test("slugify keeps letters and digits of any script", () => {
  assert.equal(slugify("Hello, World! 2"), "hello-world-2");
  assert.equal(slugify("Grüße aus Köln"), "grüße-aus-köln");
  assert.equal(slugify("!!!"), "section");
});

test("the worker renders off the event loop and survives being closed", async () => {
  const r = new MarkdownRenderer();
  r.start();
  try {
    const [a, b] = await Promise.all([r.render(GFM), r.diff("a\n", "b\n")]);
    assert.equal(a.highlighter, "shiki");
    assert.match(a.html, /sh-keyword/);
    assert.equal(b.added, 1);
  } finally {
    await r.close();
  }
  await assert.rejects(async () => {
    const again = new MarkdownRenderer({
      workerFile: new URL("./no-such-worker.ts", import.meta.url),
    });
    await again.render("x");
  }, /worker|Cannot find|ERR_MODULE_NOT_FOUND/i);
});

/** A tag with markdown-it's attribute syntax (names, double-quoted escaped values). */
const TAG = /<[a-z][a-z0-9]*((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*\/?>/gi;
const ATTR = /\s([a-z-]+)(?:="[^"]*")?/gi;

test("fuzz: random markdown never yields a script element, handler or script URL", () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const atoms = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "[a](",
    "javascript:",
    ")",
    "](",
    "`",
    "```",
    "\n",
    "\n\n",
    "|",
    "---",
    "- [ ] ",
    "[^1]",
    "[^1]: ",
    "#",
    "*",
    "_",
    "<",
    ">",
    '"',
    "'",
    "&",
    "onload=",
    "data:text/html,",
    "![",
    "<svg onload=x>",
    "  ",
    "\t",
  ];
  for (let i = 0; i < 400; i++) {
    let src = "";
    const n = 1 + r.int(40);
    for (let j = 0; j < n; j++) src += r.pick(atoms);
    const { html } = renderMarkdown(src);
    const where = `case ${i}: ${JSON.stringify(src)} (${replayHint(seed)})`;
    assert.doesNotMatch(html, /<(script|svg|iframe|object)/i, where);
    for (const tag of html.matchAll(TAG)) {
      for (const attr of tag[1]!.matchAll(ATTR)) assert.doesNotMatch(attr[1]!, /^on/i, where);
    }
    assert.doesNotMatch(html, /(href|src)="\s*(javascript|data:text)/i, where);
  }
});
