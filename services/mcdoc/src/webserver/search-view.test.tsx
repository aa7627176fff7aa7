// The search page made from templates is byte for byte the page hono/jsx renders (the reference
// below lays it out as MCDoc did per query before), for hostile queries and hits included: markup,
// quotes, the template's own markers and the FTS5 operators.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EmptyState } from "@metacircular/mcdsl/web";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import type { SearchHit } from "../db/search-index.ts";
import { pageUrl } from "../site/urls.ts";
import { frame, SearchBox } from "./frame.tsx";
import { searchResults, searchTemplates } from "./search-view.tsx";

const site = { title: "Docs <&>", stylesheet: "/static/mcdoc.0123.css" };

function reference(q: string, hits: SearchHit[], titles: Map<string, string>) {
  const body = (
    <>
      <SearchBox q={q} id="doc-q-main" />
      {q === "" ? null : hits.length === 0 ? (
        <EmptyState id="no-hits" title="Nothing found">
          No page matches “{q}”.
        </EmptyState>
      ) : (
        <ol class="doc-hits" id="hits">
          {hits.map((h) => (
            <li>
              <a href={pageUrl(h.repo, h.path)}>{h.title}</a>{" "}
              <span class="doc-path">
                {titles.get(h.repo) ?? h.repo} · {h.path}
              </span>
              <p>{h.snippet}</p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
  return frame(site, { title: q ? `Search: ${q}` : "Search", path: "/search", body, q });
}

test("the templated results page equals the JSX page, hostile input included", async () => {
  const t = await searchTemplates(site);
  const titles = new Map([["a", `A "docs" & <more>`]]);
  const hits: SearchHit[] = [
    { repo: "a", path: "dir/x <y>.md", title: `<script>alert("x")</script>`, snippet: "…a & b…" },
    { repo: "b'c", path: "p%20q.md", title: "\uE000 <!--mcdoc-results-->", snippet: "'\"" },
  ];
  assert.equal(t.empty, await reference("", [], titles));
  for (const q of ["kiwi", `"<b>" OR 'x' & y`, "\uE000", "<!--mcdoc-results-->", "a\u2028b"]) {
    assert.equal(searchResults(t, q, hits, titles), await reference(q, hits, titles), q);
    assert.equal(searchResults(t, q, [], titles), await reference(q, [], titles), q);
  }
});

test("fuzz: random queries and hits render as the JSX page does", async () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const t = await searchTemplates(site);
  const chars = ["a", "Z", " ", "<", ">", "&", '"', "'", "\uE000", "/", "%", "…", "é", "\n"];
  const str = (n: number) => Array.from({ length: n }, () => r.pick(chars)).join("");
  for (let i = 0; i < 200; i++) {
    const q = str(1 + r.int(20));
    const hits = Array.from({ length: r.int(4) }, () => ({
      repo: str(1 + r.int(5)),
      path: str(1 + r.int(10)),
      title: str(r.int(10)),
      snippet: str(r.int(30)),
    }));
    const titles = new Map(hits.slice(0, 1).map((h) => [h.repo, str(5)]));
    const ref = await reference(q, hits, titles);
    assert.equal(
      searchResults(t, q, hits, titles),
      ref,
      `${JSON.stringify(q)} (${replayHint(seed)})`,
    );
  }
});
