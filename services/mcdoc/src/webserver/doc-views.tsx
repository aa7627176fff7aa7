// The composer: every page and folder of a repository snapshot as a complete HTML document,
// prepared once per refresh. A page shows the navigation tree, the rendered markdown and its
// table of contents; a folder shows its README/index page, or a listing when it has none.
import type { TocEntry } from "@metacircular/mcdsl/markdown";
import { raw } from "hono/html";
import type { Composer } from "../site/build.ts";
import type { Page, RepoSnapshot } from "../site/snapshot.ts";
import { brokenUrl, dirUrl, foldersOf, pageUrl } from "../site/urls.ts";
import { frame, type SiteInfo } from "./frame.tsx";
import { navTreeMarker } from "./nav-tree.tsx";

type Draft = Omit<RepoSnapshot, "views">;

function Toc(p: { toc: TocEntry[] }) {
  const entries = p.toc.filter((e) => e.level >= 2 && e.level <= 3);
  if (entries.length < 2) return null;
  return (
    <nav class="doc-toc" aria-label="On this page">
      <p class="doc-toc-title">On this page</p>
      <ol>
        {entries.map((e) => (
          <li class={`doc-toc-${e.level}`}>
            <a href={`#${e.id}`}>{e.text}</a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function Crumbs(p: { s: Draft; path: string }) {
  const parts = p.path.split("/").filter(Boolean);
  return (
    <nav class="doc-crumbs" aria-label="Breadcrumb">
      <a href={dirUrl(p.s.name, "")}>{p.s.title}</a>
      {parts.slice(0, -1).map((part, i) => (
        <>
          {" / "}
          <a href={dirUrl(p.s.name, parts.slice(0, i + 1).join("/"))}>{part}</a>
        </>
      ))}
    </nav>
  );
}

function Footer(p: { s: Draft }) {
  return (
    <footer class="doc-footer">
      Revision <code>{p.s.revision.slice(0, 12)}</code>
      {p.s.broken.length > 0 ? (
        <>
          {" · "}
          <a href={brokenUrl(p.s.name)}>{p.s.broken.length} broken links</a>
        </>
      ) : null}
    </footer>
  );
}

/** The page's own first-level heading is the frame's heading: drop it from the article. */
function withoutTitle(html: string): string {
  return html.startsWith("<h1") ? html.slice(html.indexOf("</h1>") + 6) : html;
}

function Listing(p: { s: Draft; dir: string }) {
  const prefix = p.dir ? `${p.dir}/` : "";
  const children = [...p.s.pages.values()].filter((pg) => pg.path.startsWith(prefix));
  return (
    <ul class="doc-listing">
      {children.map((pg) => (
        <li>
          <a href={pageUrl(p.s.name, pg.path)}>{pg.title}</a>{" "}
          <span class="doc-path">{pg.path.slice(prefix.length)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Stands for the footer (revision, broken links) in a page's cached document. */
const FOOTER = "<!--mcdoc-footer-->";

function view(site: SiteInfo, s: Draft, nav: (current: string) => string, at: string, page?: Page) {
  const dir = at.endsWith("/") ? at.slice(0, -1) : at === "" ? "" : undefined;
  const title = page?.title ?? (dir ? `${s.title}: ${dir}` : s.title);
  const body = (
    <div class="doc-layout">
      <div class="doc-main">
        <Crumbs s={s} path={page?.path ?? at} />
        {page ? <Toc toc={page.toc} /> : null}
        {page ? (
          <article class="md-body" id="document">
            {raw(withoutTitle(page.html))}
          </article>
        ) : (
          <Listing s={s} dir={dir ?? ""} />
        )}
        {raw(FOOTER)}
      </div>
      {raw(nav(page?.path ?? at))}
    </div>
  );
  return frame(site, { title, path: dirUrl(s.name, ""), body });
}

/** The footer goes in at the marker after the article (markdown cannot forge the last one). */
function withFooter(doc: string, footer: string): string {
  const at = doc.lastIndexOf(FOOTER);
  return doc.slice(0, at) + footer + doc.slice(at + FOOTER.length);
}

/** A page's document minus its footer, kept while the page, the tree and the title stay. */
interface Composed {
  nav: string;
  title: string;
  doc: string;
}

export function docComposer(site: SiteInfo): Composer {
  // Pages reused by a refresh are the same objects, so a push re-lays out only the pages it
  // changed (plus all of them when the navigation tree or the repository title changes).
  const composed = new WeakMap<Page, Composed>();
  return {
    async views(s) {
      const nav = await navTreeMarker(s, s.title);
      const footer = String(await (<Footer s={s} />));
      const out = new Map<string, string>();
      for (const page of s.pages.values()) {
        let c = composed.get(page);
        if (c?.nav !== nav.html || c.title !== s.title) {
          const doc = String(await view(site, s, nav.mark, page.path, page));
          c = { nav: nav.html, title: s.title, doc };
          composed.set(page, c);
        }
        out.set(page.path, withFooter(c.doc, footer));
      }
      for (const dir of foldersOf(s.pages.keys())) {
        const key = dir ? `${dir}/` : "";
        const index = s.folderIndex.get(dir);
        const doc = String(
          await view(site, s, nav.mark, key, index ? s.pages.get(index) : undefined),
        );
        out.set(key, withFooter(doc, footer));
      }
      return out;
    },
  };
}
