// Snippets are cut around the first word a query term begins, folded as FTS5 folds words.
import assert from "node:assert/strict";
import { test } from "node:test";
import { queryTerms, snippetOf } from "./snippet.ts";

test("the snippet surrounds the first match, with ellipses where text was left out", () => {
  const body = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
  assert.equal(snippetOf(body, ["w20"], 8), "…w18 w19 w20 w21 w22 w23 w24 w25…");
  assert.equal(snippetOf(body, ["w0"], 4), "w0 w1 w2 w3…");
  assert.equal(snippetOf(body, ["nothing"]), "");
  assert.equal(snippetOf("Un Café crème", ["cafe"]), "Un Café crème");
  assert.equal(snippetOf("KUBERNETES nodes", ["kube"]), "KUBERNETES nodes");
  assert.deepEqual(queryTerms('"ab"* "Ç"*'), ["ab", "Ç"]);
});
