// The frame every MCDoc page shares: the kit's page layout, its prose stylesheet (rendered
// markdown) and MCDoc's own, the site's links and a search box that works without JavaScript
// (a plain GET form).
import { renderPage } from "@metacircular/mcdsl/web";
import type { Child } from "hono/jsx";

export interface SiteInfo {
  title: string;
  /** The hashed URL of MCDoc's stylesheet. */
  stylesheet: string;
}

export function SearchBox(p: { q?: string | undefined; id?: string }) {
  const id = p.id ?? "doc-q";
  return (
    <form method="get" action="/search" aria-label="Search" class="doc-search">
      <label for={id} class="doc-sr">
        Search the documentation
      </label>
      <input id={id} type="search" name="q" value={p.q ?? ""} placeholder="Search" />
      <button type="submit">Search</button>
    </form>
  );
}

export function frame(
  site: SiteInfo,
  o: { title: string; path: string; body: Child; q?: string | undefined },
): Promise<string> {
  return renderPage({
    app: site.title,
    title: o.title,
    nav: [
      { href: "/", label: "Repositories" },
      { href: "/search", label: "Search" },
    ],
    current: o.path,
    navExtra: <SearchBox q={o.q} />,
    color: "#5b4a8b",
    prose: true,
    styles: [site.stylesheet],
    children: o.body,
  });
}
