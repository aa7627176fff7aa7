// The link rewriter: a markdown page's relative links and images, written for the repository's
// tree (GitHub-style: relative to the page, "/x" from the repository root), turned into the
// site's URLs. Pure, so the render worker rewrites and the builder reports broken links with
// the same answer. Every resolved path is normalised against the repository root: ".." never
// climbs above it, and a path that would is reported broken.
// arch: parser (URLs in pushed markdown are untrusted input)
import { slugify } from "@metacircular/mcdsl/markdown";
import { assetType, PAGE_EXT } from "../sources/tree.ts";
import { dirUrl, foldersOf, pageUrl, rawUrl, repoUrl } from "./urls.ts";

/** What the rewriter knows about a page (cloneable: it travels to the render worker). */
export interface LinkContext {
  repo: string;
  /** The page's path in the repository. */
  page: string;
  files: string[];
}

export interface LinkTarget {
  repo: string;
  page: string;
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
}

export interface Resolved {
  url: string;
  /** An internal link to nothing in the tree (a missing file or a path above the root). */
  broken: boolean;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Heading ids are "md-" + slug (mcdsl/markdown); a "#Getting Started" link finds its heading. */
export function anchorFor(fragment: string): string {
  let text = fragment;
  try {
    text = decodeURIComponent(fragment);
  } catch {
    // keep it as written
  }
  return text.startsWith("md-") ? text : `md-${slugify(text)}`;
}

/** "a/./b/../c" → "a/c"; undefined when ".." climbs above the root. */
export function normalise(segments: string[]): string | undefined {
  const out: string[] = [];
  for (const s of segments) {
    if (s === "" || s === ".") continue;
    if (s === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(s);
  }
  return out.join("/");
}

function target(t: LinkTarget, path: string, dirLink: boolean): Resolved {
  if (!dirLink && t.files.has(path)) {
    const url =
      PAGE_EXT.test(path) || !assetType(path) ? pageUrl(t.repo, path) : rawUrl(t.repo, path);
    return { url, broken: false };
  }
  if (t.dirs.has(path)) return { url: dirUrl(t.repo, path), broken: false };
  const url = dirLink
    ? dirUrl(t.repo, path)
    : assetType(path)
      ? rawUrl(t.repo, path)
      : pageUrl(t.repo, path);
  return { url, broken: true };
}

export function resolveLink(t: LinkTarget, href: string): Resolved {
  if (SCHEME.test(href) || href.startsWith("//")) return { url: href, broken: false };
  const hash = href.indexOf("#");
  const fragment = hash < 0 ? undefined : href.slice(hash + 1);
  let rest = hash < 0 ? href : href.slice(0, hash);
  const q = rest.indexOf("?");
  if (q >= 0) rest = rest.slice(0, q);
  const frag = fragment ? `#${encodeURIComponent(anchorFor(fragment))}` : "";
  if (rest === "") return { url: frag || pageUrl(t.repo, t.page), broken: false };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return { url: repoUrl(t.repo), broken: true };
  }
  if (decoded.includes("\0") || decoded.includes("\\"))
    return { url: repoUrl(t.repo), broken: true };
  const base = decoded.startsWith("/") ? [] : t.page.split("/").slice(0, -1);
  const path = normalise([...base, ...decoded.split("/")]);
  if (path === undefined) return { url: repoUrl(t.repo), broken: true };
  const r = target(t, path, decoded.endsWith("/") || path === "");
  return { url: r.url + (assetType(path) ? "" : frag), broken: r.broken };
}

export function linkTarget(c: LinkContext): LinkTarget {
  return { repo: c.repo, page: c.page, files: new Set(c.files), dirs: foldersOf(c.files) };
}
