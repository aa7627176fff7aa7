// A repository's navigation tree: folders as <details> (open along the current page's path, so
// it works without JavaScript), pages by title, the current one marked aria-current.
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

function FolderList(p: { s: Snap; f: Folder; current: string }) {
  const { s, f, current } = p;
  return (
    <ul>
      {f.pages
        .filter((page) => s.folderIndex.get(f.path) !== page)
        .map((page) => (
          <li>
            <a href={pageUrl(s.name, page)} aria-current={page === current ? "page" : undefined}>
              {s.pages.get(page)?.title ?? page}
            </a>
          </li>
        ))}
      {[...f.folders.entries()].map(([name, sub]) => (
        <li>
          <details open={current.startsWith(`${sub.path}/`) || current === `${sub.path}/`}>
            <summary>
              <a
                href={dirUrl(s.name, sub.path)}
                aria-current={current === `${sub.path}/` ? "page" : undefined}
              >
                {name}
              </a>
            </summary>
            <FolderList s={s} f={sub} current={current} />
          </details>
        </li>
      ))}
    </ul>
  );
}

/** `current`: a page path, a folder path with a trailing "/", or "" for the front page. */
export function NavTree(p: { s: Snap; tree: Folder; current: string; title: string }) {
  return (
    <nav class="doc-nav" id="pages" aria-label={`Pages of ${p.title}`}>
      <p class="doc-nav-title">
        <a href={dirUrl(p.s.name, "")} aria-current={p.current === "" ? "page" : undefined}>
          {p.title}
        </a>
      </p>
      <FolderList s={p.s} f={p.tree} current={p.current} />
    </nav>
  );
}
