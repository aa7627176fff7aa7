// The link rewriter: the table of README.md "Rendering", and a seeded fuzz test (MC_FUZZ_SEED
// replays) holding every answer to the site's URL space, never above the repository root.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { linkTarget, normalise, resolveLink } from "./links.ts";

const FILES = ["README.md", "guide/intro.md", "guide/deep/nested.md", "img/a b.png", "docs/x.svg"];
const at = (page: string) => linkTarget({ repo: "hb", page, files: FILES });

test("relative, root-relative, folder, image, fragment and external links", () => {
  const t = at("guide/intro.md");
  const cases: Array<[string, string, boolean]> = [
    ["../README.md", "/r/hb/README.md", false],
    ["deep/nested.md#Storage Layout", "/r/hb/guide/deep/nested.md#md-storage-layout", false],
    ["deep/nested.md#md-x", "/r/hb/guide/deep/nested.md#md-x", false],
    ["/README.md", "/r/hb/README.md", false],
    ["./deep/", "/r/hb/guide/deep/", false],
    ["deep", "/r/hb/guide/deep/", false],
    ["../img/a%20b.png", "/raw/hb/img/a%20b.png", false],
    ["#install", "#md-install", false],
    ["https://example.org/x.md", "https://example.org/x.md", false],
    ["mailto:a@b.c", "mailto:a@b.c", false],
    ["//cdn.example/x", "//cdn.example/x", false],
    ["missing.md", "/r/hb/guide/missing.md", true],
    ["../../../etc/passwd", "/r/hb/", true],
    ["%zz.md", "/r/hb/", true],
    ["intro.md?plain=1", "/r/hb/guide/intro.md", false],
    ["../", "/r/hb/", false],
  ];
  for (const [href, url, broken] of cases) {
    assert.deepEqual(resolveLink(t, href), { url, broken }, href);
  }
});

test("normalise never climbs above the root", () => {
  assert.equal(normalise(["a", ".", "b", "..", "c"]), "a/c");
  assert.equal(normalise(["a", "..", ".."]), undefined);
  assert.equal(normalise(["", "a", ""]), "a");
});

const PIECES = [
  "..",
  ".",
  "guide",
  "deep",
  "README.md",
  "intro.md",
  "img",
  "a b.png",
  "%2e%2e",
  "%2F",
  "%",
  "\\",
  "",
  "x.md",
  "nested.md",
  "docs",
  "x.svg",
  "?q=1",
  "#frag",
  "#",
  "javascript:",
  "//",
  "é",
  "%00",
];

test("fuzz: every rewritten link stays in the site's URL space and inside the tree", () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const pages = ["README.md", "guide/intro.md", "guide/deep/nested.md"];
  for (let i = 0; i < 20_000; i++) {
    const n = 1 + r.int(6);
    const parts = Array.from({ length: n }, () => r.pick(PIECES));
    const href = (r.int(4) === 0 ? "/" : "") + parts.join(r.int(5) === 0 ? "" : "/");
    const t = at(r.pick(pages));
    const out = resolveLink(t, href);
    const external = /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//");
    if (external) {
      assert.equal(out.url, href, `${href} (${replayHint(seed)})`);
      continue;
    }
    assert.match(
      out.url,
      /^(\/r\/hb\/|\/raw\/hb\/|#)/,
      `${href} → ${out.url} (${replayHint(seed)})`,
    );
    const path = decodeURIComponent(out.url.split("#")[0]!.replace(/^\/(r|raw)\/hb\//, ""));
    assert.ok(!path.split("/").includes(".."), `${href} → ${out.url} (${replayHint(seed)})`);
    if (!out.broken && out.url.startsWith("/raw/"))
      assert.ok(FILES.includes(path), `${href} → ${out.url}`);
    if (!out.broken && out.url.startsWith("/r/") && !out.url.split("#")[0]!.endsWith("/"))
      assert.ok(FILES.includes(path), `${href} → ${out.url} (${replayHint(seed)})`);
  }
});
