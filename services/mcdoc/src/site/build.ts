// Builds a repository's snapshot from a source tree: renders the markdown pages that changed
// (same content id and same tree = the previous render is reused), keeps the images, finds the
// broken internal links, and prepares every view through the composer (the web layer's layout).
import { createHash } from "node:crypto";
import type { MarkdownRenderer } from "@metacircular/mcdsl/markdown";
import { assetType, PAGE_EXT, type SourceTree } from "../sources/tree.ts";
import { type LinkContext, linkTarget, resolveLink } from "./links.ts";
import {
  type BrokenLink,
  type Page,
  type Prepared,
  prepare,
  type RepoSnapshot,
} from "./snapshot.ts";
import { htmlToText } from "./text.ts";
import { foldersOf } from "./urls.ts";

export interface RepoInfo {
  name: string;
  title: string;
  description: string;
}

/** The web layer's page layout: a snapshot's pages and folders as complete HTML documents. */
export interface Composer {
  views(s: Omit<RepoSnapshot, "views">): Promise<Map<string, string>>;
}

export interface BuildDeps {
  renderer: MarkdownRenderer;
  composer: Composer;
  maxFileBytes: number;
}

const INDEX_NAMES = ["readme.md", "index.md", "readme.markdown", "index.markdown"];

function folderIndex(pages: Iterable<string>): Map<string, string> {
  const byDir = new Map<string, string>();
  for (const p of pages) {
    const slash = p.lastIndexOf("/");
    const dir = slash < 0 ? "" : p.slice(0, slash);
    const rank = INDEX_NAMES.indexOf(p.slice(slash + 1).toLowerCase());
    if (rank < 0) continue;
    const cur = byDir.get(dir);
    const curRank = cur
      ? INDEX_NAMES.indexOf(cur.slice(cur.lastIndexOf("/") + 1).toLowerCase())
      : 99;
    if (rank < curRank) byDir.set(dir, p);
  }
  return byDir;
}

function fileName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1).replace(PAGE_EXT, "");
}

async function renderPages(
  repo: RepoInfo,
  tree: SourceTree,
  paths: string[],
  prev: RepoSnapshot | undefined,
  deps: BuildDeps,
): Promise<Map<string, Page>> {
  const files = [...tree.files.keys()].filter((p) => tree.files.get(p)!.size <= deps.maxFileBytes);
  const treeKey = createHash("sha256").update(files.join("\0")).digest("base64url");
  const pages = new Map<string, Page>();
  const toRender: string[] = [];
  for (const p of paths) {
    const old = prev?.pages.get(p);
    if (old && old.sourceId === tree.files.get(p)!.id && old.treeKey === treeKey) pages.set(p, old);
    else toRender.push(p);
  }
  const sources = await tree.read(toRender);
  await Promise.all(
    toRender.map(async (path) => {
      const ctx: LinkContext = { repo: repo.name, page: path, files };
      const r = await deps.renderer.render(sources.get(path)!.toString("utf8"), ctx);
      pages.set(path, {
        path,
        title: r.title ?? fileName(path),
        html: r.html,
        toc: r.toc,
        sourceId: tree.files.get(path)!.id,
        treeKey,
        text: htmlToText(r.html),
        links: (r.links ?? []).map((l) => `${l.kind === "image" ? "!" : ""}${l.url}`),
      });
    }),
  );
  return new Map([...pages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function brokenLinks(repo: string, pages: Map<string, Page>, files: string[]): BrokenLink[] {
  const dirs = foldersOf(files);
  const fileSet = new Set(files);
  const out: BrokenLink[] = [];
  for (const page of pages.values()) {
    const t = { ...linkTarget({ repo, page: page.path, files: [] }), files: fileSet, dirs };
    for (const l of page.links) {
      const kind = l.startsWith("!") ? "image" : "link";
      const href = kind === "image" ? l.slice(1) : l;
      if (resolveLink(t, href).broken) out.push({ page: page.path, href, kind });
    }
  }
  return out;
}

async function readAssets(
  tree: SourceTree,
  paths: string[],
  prev: RepoSnapshot | undefined,
): Promise<Map<string, Prepared>> {
  const assets = new Map<string, Prepared>();
  const toRead = paths.filter((p) => {
    const old = prev?.assets.get(p);
    const same = old && prev?.revision && old.etag === `"${tree.files.get(p)!.id}"`;
    if (same) assets.set(p, old);
    return !same;
  });
  for (const [p, body] of await tree.read(toRead)) {
    assets.set(p, { body, etag: `"${tree.files.get(p)!.id}"`, type: assetType(p)! });
  }
  return assets;
}

export async function buildSnapshot(
  repo: RepoInfo,
  tree: SourceTree,
  prev: RepoSnapshot | undefined,
  deps: BuildDeps,
): Promise<RepoSnapshot> {
  const usable = [...tree.files].filter(([, f]) => f.size <= deps.maxFileBytes).map(([p]) => p);
  const pagePaths = usable.filter((p) => PAGE_EXT.test(p));
  const pages = await renderPages(repo, tree, pagePaths, prev, deps);
  const assets = await readAssets(
    tree,
    usable.filter((p) => !PAGE_EXT.test(p) && assetType(p)),
    prev,
  );
  const draft = {
    ...repo,
    revision: tree.revision,
    builtAt: new Date(),
    pages,
    folderIndex: folderIndex(pages.keys()),
    assets,
    broken: brokenLinks(repo.name, pages, usable),
  };
  const views = new Map<string, Prepared>();
  for (const [key, html] of await deps.composer.views(draft)) {
    views.set(key, prepare(html, "text/html; charset=utf-8"));
  }
  return { ...draft, views };
}
