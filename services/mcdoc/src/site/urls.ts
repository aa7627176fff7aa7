// The site's URL scheme, in one place: /r/<repo>/ (a repository's front page), /r/<repo>/<path>
// (a markdown page, its .md kept), /r/<repo>/<dir>/ (a folder), /raw/<repo>/<path> (an image),
// /broken/<repo> (its broken links), /search?q=.

export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export const repoUrl = (repo: string) => `/r/${encodeURIComponent(repo)}/`;
export const pageUrl = (repo: string, path: string) => `${repoUrl(repo)}${encodePath(path)}`;
export const dirUrl = (repo: string, dir: string) =>
  dir === "" ? repoUrl(repo) : `${repoUrl(repo)}${encodePath(dir)}/`;
export const rawUrl = (repo: string, path: string) =>
  `/raw/${encodeURIComponent(repo)}/${encodePath(path)}`;
export const brokenUrl = (repo: string) => `/broken/${encodeURIComponent(repo)}`;

/** The folders of a set of file paths ("" for the root included). */
export function foldersOf(files: Iterable<string>): Set<string> {
  const dirs = new Set<string>([""]);
  for (const f of files) {
    let i = f.lastIndexOf("/");
    while (i > 0) {
      const d = f.slice(0, i);
      if (dirs.has(d)) break;
      dirs.add(d);
      i = d.lastIndexOf("/");
    }
  }
  return dirs;
}
