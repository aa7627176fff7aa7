// Very large documents are read in parts: cuts fall only between top-level blocks (never
// inside a list, table, quote or code block), every part but the last reaches the budget,
// the parts put together are the document, and the contents know each heading's part.
import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "@metacircular/mcdsl/markdown";
import { readerPart, splitParts } from "./parts.ts";

/** Sections of every top-level block kind, headings nested in quotes and lists included. */
const sample = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `## Section ${i}\n\nSome prose ${i}.\n\n- item\n  ## nested ${i}\n- [x] done\n\n` +
      `> quoted\n>\n> ## quoted heading ${i}\n\n| a | b |\n| - | - |\n| ${i} | <h2> |\n\n` +
      `\`\`\`ts\nconst h = "<h2>${i}</h2>";\n\`\`\`\n`,
  ).join("\n");

test("a small body is one part; a large one is cut between top-level blocks only", () => {
  assert.deepEqual(splitParts("<p>a</p>", 100), ["<p>a</p>"]);
  const html = renderMarkdown(sample(200)).html;
  const parts = splitParts(html, 8 * 1024);
  assert.ok(parts.length >= 4, `${parts.length} parts`);
  assert.equal(parts.join(""), html);
  const depth = (s: string) =>
    [...s.matchAll(/<(\/?)(blockquote|ul|ol|table|pre|div|details)\b/g)].reduce(
      (d, m) => d + (m[1] ? -1 : 1),
      0,
    );
  for (const [i, p] of parts.entries()) {
    assert.equal(depth(p), 0, `part ${i} is balanced`);
    if (i < parts.length - 1) assert.ok(p.length >= 8 * 1024, `part ${i} reaches the budget`);
  }
});

test("a container larger than the budget stays whole", () => {
  const list = `<ul>${"<li><p>item</p></li>".repeat(50)}</ul>`;
  const parts = splitParts(`<p>a</p>${list}<h2 id="b">b</h2><p>c</p>`, 100);
  assert.deepEqual(parts, [`<p>a</p>${list}`, '<h2 id="b">b</h2><p>c</p>']);
});

test("the requested part is clamped, and each id maps to its part", () => {
  const html = '<h2 id="one">1</h2><p>x</p><h2 id="two">2</h2><p>y</p><h2 id="three">3</h2>';
  const first = readerPart(html, undefined, 20);
  assert.equal(first.count, 3);
  assert.equal(first.index, 0);
  assert.deepEqual(
    [...first.partOfId],
    [
      ["one", 0],
      ["two", 1],
      ["three", 2],
    ],
  );
  assert.equal(readerPart(html, "2", 20).html, '<h2 id="two">2</h2><p>y</p>');
  for (const bad of ["0", "-3", "nope", "99"])
    assert.ok(readerPart(html, bad, 20).index === (bad === "99" ? 2 : 0), bad);
});
