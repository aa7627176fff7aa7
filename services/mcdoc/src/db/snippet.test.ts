// Snippets cut in process: the window and its ellipses, words the porter stemmer or diacritic
// folding matched, a page matched by its title alone, the window holding most query words, and a
// seeded fuzz test (MC_FUZZ_SEED replays) over arbitrary text and queries.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { crudeStem, searchWords, snippetsFor } from "./snippet.ts";

const words = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `w${i + from}`).join(" ");

test("a short text is the snippet; a long one is cut around the hit with ellipses", () => {
  assert.equal(snippetsFor(["kiwi"])("all about kiwi fruit"), "all about kiwi fruit");
  const text = `${words(50)} Kiwis grow here ${words(50, 50)}`;
  const s = snippetsFor(["kiwi"])(text);
  assert.match(s, /^…w46 w47 w48 w49 Kiwis grow here w50 .*…$/);
  assert.equal(s.replace(/…/g, "").split(" ").length, 20);
  assert.equal(snippetsFor(["w0"])(text).startsWith("w0 w1"), true);
  assert.equal(snippetsFor(["w99"])(text).endsWith("w99"), true);
});

test("stemmed and folded words are found; a title-only match shows the start", () => {
  assert.equal(crudeStem("rendering"), "render");
  assert.equal(crudeStem("caches"), "cach");
  assert.equal(crudeStem("is"), "is");
  const text = `${words(30)} the page renders quickly ${words(30, 30)}`;
  assert.match(snippetsFor(["rendering"])(text), /w29 the page renders quickly/);
  assert.match(snippetsFor(["cafe"])(`${words(30)} un café noir`), /un café noir$/);
  assert.match(snippetsFor(["CAFÉ"])(`${words(30)} the cafe`), /the cafe$/);
  assert.match(snippetsFor(["zebra"])(words(40)), /^w0 w1 .*w19…$/);
  assert.equal(snippetsFor(["zebra"])(""), "");
});

test("several words: the window holding the most of them, the earliest of equals", () => {
  const text = `alpha ${words(40)} beta ${words(40, 40)} alpha gamma beta ${words(40, 80)}`;
  assert.match(snippetsFor(["alpha", "beta"])(text), /alpha gamma beta/);
  assert.match(snippetsFor(["alpha"])(text), /^alpha w0/);
  assert.match(snippetsFor(["alpha", "ALPHA"])(text), /^alpha w0/);
});

test("searchWords keeps letters, digits and _ only, twelve words at most", () => {
  assert.deepEqual(searchWords('"kiwi" OR NOT* (x:1)'), ["kiwi", "OR", "NOT", "x", "1"]);
  assert.equal(searchWords(words(20)).length, 12);
  assert.deepEqual(searchWords("… — !"), []);
});

test("fuzz: a snippet is a run of the text's words, bounded, whatever the query", () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const alphabet = ["a", "b", "é", "e\u0301", "Z", "_", "1", " ", " ", ".", "…", "ß", "İ", "한"];
  const piece = (n: number) => Array.from({ length: n }, () => r.pick(alphabet)).join("");
  for (let i = 0; i < 800; i++) {
    const text = piece(r.int(400));
    const q = searchWords(piece(r.int(12)));
    const s = snippetsFor(q, 20)(text);
    const core = s.replace(/^…/, "").replace(/…$/, "");
    assert.ok(text.includes(core), `${JSON.stringify(text)} ${q} → ${s} (${replayHint(seed)})`);
    assert.ok((core.match(/[\p{L}\p{N}_]+/gu) ?? []).length <= 20, `${s} (${replayHint(seed)})`);
  }
});
