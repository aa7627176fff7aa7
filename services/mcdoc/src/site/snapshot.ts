// A repository's rendered snapshot: everything the site serves for it, built once per refresh and
// swapped in whole (the previous snapshot keeps serving until the new one is complete, and stays
// when a refresh fails). Responses are prepared bytes with their ETag.
import { createHash } from "node:crypto";
import type { TocEntry } from "@metacircular/mcdsl/markdown";

export interface Page {
  path: string;
  title: string;
  /** The rendered markdown (the article's inner HTML). */
  html: string;
  toc: TocEntry[];
  /** The content id it was rendered from, and the tree it was rendered against. */
  sourceId: string;
  treeKey: string;
  /** Plain text for the search index. */
  text: string;
  links: string[];
}

export interface BrokenLink {
  page: string;
  href: string;
  kind: "link" | "image";
}

export interface Prepared {
  body: Buffer;
  etag: string;
  type: string;
}

export interface RepoSnapshot {
  name: string;
  title: string;
  description: string;
  revision: string;
  builtAt: Date;
  pages: Map<string, Page>;
  /** Folder paths ("" = root) to the page that stands for them (README.md / index.md), if any. */
  folderIndex: Map<string, string>;
  /** Prepared responses under /r/<repo>/: "" (front page), "dir/", "a/b.md". */
  views: Map<string, Prepared>;
  /** Images under /raw/<repo>/. */
  assets: Map<string, Prepared>;
  broken: BrokenLink[];
}

/** Where a repository stands: never rendered yet, or serving a snapshot (maybe after a failure). */
export type RepoState =
  | { kind: "pending"; error?: string }
  | { kind: "ready"; snapshot: RepoSnapshot; error?: string; failedAt?: Date };

export function prepare(body: string | Buffer, type: string): Prepared {
  const buf = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const etag = `"${createHash("sha256").update(buf).digest("base64url").slice(0, 22)}"`;
  return { body: buf, etag, type };
}
