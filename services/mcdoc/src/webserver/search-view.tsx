// The search results page, assembled per query from pieces rendered once: the frame (head,
// header, navigation, both search boxes) and the "nothing found" box are laid out with hono/jsx
// at the first search, holding markers where the query and the results go; a query then only
// escapes its text into the gaps and joins one string per hit. Rendering the whole page with
// JSX per query cost more than the search itself (bench/results/mcdoc.md).
import { escapeHtml } from "@metacircular/mcdsl/markdown";
import { EmptyState } from "@metacircular/mcdsl/web";
import { raw } from "hono/html";
import type { SearchHit } from "../db/search-index.ts";
import { pageUrl } from "../site/urls.ts";
import { frame, SearchBox, type SiteInfo } from "./frame.tsx";

/** Stands for the query (escaped) in the templates: a private-use character, never escaped. */
const Q = "\uE000";
/** Stands for the results list (or the "nothing found" box) in the page template. */
const RESULTS = "<!--mcdoc-results-->";

export interface SearchTemplates {
  /** The page for an empty query (the form alone). */
  empty: string;
  /** The page with a query: gaps for the query, split at RESULTS. */
  page: [string[], string[]];
  /** "Nothing found" with gaps for the query. */
  none: string[];
}

export async function searchTemplates(site: SiteInfo): Promise<SearchTemplates> {
  const form = (q: string, results: string) => (
    <>
      <SearchBox q={q} id="doc-q-main" />
      {raw(results)}
    </>
  );
  const empty = await frame(site, { title: "Search", path: "/search", body: form("", "") });
  const page = await frame(site, {
    title: `Search: ${Q}`,
    path: "/search",
    body: form(Q, RESULTS),
    q: Q,
  });
  const none = String(
    await (
      <EmptyState id="no-hits" title="Nothing found">
        No page matches “{Q}”.
      </EmptyState>
    ),
  );
  const [head, tail] = page.split(RESULTS) as [string, string];
  return { empty, page: [head.split(Q), tail.split(Q)], none: none.split(Q) };
}

function hitItem(h: SearchHit, repoTitle: string): string {
  return (
    `<li><a href="${escapeHtml(pageUrl(h.repo, h.path))}">${escapeHtml(h.title)}</a> ` +
    `<span class="doc-path">${escapeHtml(repoTitle)} · ${escapeHtml(h.path)}</span>` +
    `<p>${escapeHtml(h.snippet)}</p></li>`
  );
}

/** The results page of `q` (not empty): its hits, or "nothing found". */
export function searchResults(
  t: SearchTemplates,
  q: string,
  hits: readonly SearchHit[],
  titles: ReadonlyMap<string, string>,
): string {
  const eq = escapeHtml(q);
  const results = hits.length
    ? `<ol class="doc-hits" id="hits">${hits.map((h) => hitItem(h, titles.get(h.repo) ?? h.repo)).join("")}</ol>`
    : t.none.join(eq);
  return `${t.page[0].join(eq)}${results}${t.page[1].join(eq)}`;
}
