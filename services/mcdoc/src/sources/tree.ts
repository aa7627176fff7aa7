// What every source hands the site builder: the files of one revision (path → size and a content
// id that changes when the content does) and a way to read a batch of them.

export interface TreeFile {
  size: number;
  /** A blob id (git) or size+mtime (a local directory): equal ids mean equal content. */
  id: string;
}

export interface SourceTree {
  /** The commit (git) or a fingerprint of the listing (local directory). */
  revision: string;
  files: Map<string, TreeFile>;
  read(paths: string[]): Promise<Map<string, Buffer>>;
}

export interface Source {
  /** Fetches (when remote) and lists the revision to render; throws when unreachable. */
  load(): Promise<SourceTree>;
  /** The last revision fetched successfully before, for rendering after a restart while the remote is down. */
  cached(): Promise<SourceTree | undefined>;
}

/** Files the site uses: markdown pages and the images they show. */
export const PAGE_EXT = /\.(md|markdown)$/i;
export const ASSET_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  svg: "image/svg+xml",
  ico: "image/x-icon",
};

export function assetType(path: string): string | undefined {
  const dot = path.lastIndexOf(".");
  return dot < 0 ? undefined : ASSET_TYPES[path.slice(dot + 1).toLowerCase()];
}

export function isSiteFile(path: string): boolean {
  return PAGE_EXT.test(path) || assetType(path) !== undefined;
}
