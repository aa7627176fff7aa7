// A repository's navigation tree: folders as <details> (open along the current page's path, so
// it works without JavaScript), pages by title, the current one marked aria-current.
import { escapeHtml } from "@metacircular/mcdsl/markdown";
import type { RepoSnapshot } from "../site/snapshot.ts";
import { dirUrl, pageUrl } from "../site/urls.ts";

interface Folder {
  path: string;
  folders: Map<string, Folder>;
  pages: string[];
}

export function folderTree(pages: Iterable<string>): Folder {
  const root: Folder = { path: "", folders: new Map(), pages: [] };
  for (const p of pages) {
    const parts = p.split("/");
    let f = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const name = parts[i]!;
      let sub = f.folders.get(name);
      if (!sub) {
        sub = { path: parts.slice(0, i + 1).join("/"), folders: new Map(), pages: [] };
        f.folders.set(name, sub);
      }
      f = sub;
    }
    f.pages.push(p);
  }
  return root;
}

type Snap = Pick<RepoSnapshot, "name" | "pages" | "folderIndex">;

function FolderList(p: { s: Snap; f: Folder }) {
  const { s, f } = p;
  return (
    <ul>
      {f.pages
        .filter((page) => s.folderIndex.get(f.path) !== page)
        .map((page) => (
          <li>
            <a href={pageUrl(s.name, page)}>{s.pages.get(page)?.title ?? page}</a>
          </li>
        ))}
      {[...f.folders.entries()].map(([name, sub]) => (
        <li>
          <details data-dir={sub.path}>
            <summary>
              <a href={dirUrl(s.name, sub.path)}>{name}</a>
            </summary>
            <FolderList s={s} f={sub} />
          </details>
        </li>
      ))}
    </ul>
  );
}

function NavTree(p: { s: Snap; tree: Folder; title: string }) {
  return (
    <nav class="doc-nav" id="pages" aria-label={`Pages of ${p.title}`}>
      <p class="doc-nav-title">
        <a href={dirUrl(p.s.name, "")}>{p.title}</a>
      </p>
      <FolderList s={p.s} f={p.tree} />
    </nav>
  );
}

/**
 * The tree is rendered once per snapshot; each page then only marks its own link
 * (aria-current) and opens the folders above it, by string edits on the rendered HTML (hono/jsx
 * escapes attributes as escapeHtml does). `current`: a page path, "dir/" or "" (front page).
 */
export async function navTreeMarker(s: Snap, title: string) {
  const html = String(await (<NavTree s={s} tree={folderTree(s.pages.keys())} title={title} />));
  return { html, mark: (current: string) => markCurrent(s, html, current) };
}

function markCurrent(s: Snap, html: string, current: string): string {
  const dir = current === "" || current.endsWith("/");
  const url = dir ? dirUrl(s.name, current.replace(/\/$/, "")) : pageUrl(s.name, current);
  let out = html.replace(
    `<a href="${escapeHtml(url)}">`,
    `<a href="${escapeHtml(url)}" aria-current="page">`,
  );
  const parts = current.split("/").slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const d = escapeHtml(parts.slice(0, i).join("/"));
    out = out.replace(`<details data-dir="${d}">`, `<details open data-dir="${d}">`);
  }
  return out;
}
