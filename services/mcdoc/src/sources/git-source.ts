// A remote repository over HTTP(S): a shallow fetch of one branch or tag into a bare repository
// in the cache, then the tree and blobs read straight from git's object store (no checkout).
// refs/mcdoc/last remembers the last fetched commit, so a restart renders it while the remote is
// unreachable.
// arch: parser (the ls-tree and cat-file --batch output formats)
import { existsSync, mkdirSync } from "node:fs";
import { git } from "./git.ts";
import { isSiteFile, type Source, type SourceTree, type TreeFile } from "./tree.ts";

export interface GitSourceOptions {
  url: string;
  ref: string;
  /** The bare repository in the cache. */
  dir: string;
  timeoutMs: number;
}

const LAST = "refs/mcdoc/last";

/** Parses `git ls-tree -r -z -l` output: "<mode> <type> <id> <size>\t<path>\0" records. */
export function parseLsTree(out: Buffer): Map<string, TreeFile> {
  const files = new Map<string, TreeFile>();
  for (const rec of out.toString("utf8").split("\0")) {
    const tab = rec.indexOf("\t");
    if (tab < 0) continue;
    const [, type, id, size] = rec.slice(0, tab).split(/ +/);
    const path = rec.slice(tab + 1);
    if (type !== "blob" || !id || !isSiteFile(path)) continue;
    files.set(path, { id, size: Number(size) });
  }
  return files;
}

/** Parses `git cat-file --batch` output for the ids asked, in order. */
export function parseCatFile(out: Buffer, ids: string[]): Buffer[] {
  const blobs: Buffer[] = [];
  let at = 0;
  for (const id of ids) {
    const nl = out.indexOf(10, at);
    if (nl < 0) throw new Error("git cat-file: truncated output");
    const header = out.subarray(at, nl).toString("latin1").split(" ");
    if (header[0] !== id || header[1] !== "blob") throw new Error(`git cat-file: no blob ${id}`);
    const size = Number(header[2]);
    blobs.push(out.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return blobs;
}

export class GitSource implements Source {
  constructor(private readonly o: GitSourceOptions) {}

  private run(args: string[], input?: string): Promise<Buffer> {
    const run = { cwd: this.o.dir, timeoutMs: this.o.timeoutMs };
    return git(args, input === undefined ? run : { ...run, input });
  }

  async load(): Promise<SourceTree> {
    if (!existsSync(this.o.dir)) {
      mkdirSync(this.o.dir, { recursive: true });
      await this.run(["init", "--bare", "--quiet"]);
    }
    await this.run(["fetch", "--depth=1", "--no-tags", "--quiet", "--", this.o.url, this.o.ref]);
    const commit = (await this.run(["rev-parse", "FETCH_HEAD^{commit}"])).toString().trim();
    await this.run(["update-ref", LAST, commit]);
    return this.tree(commit);
  }

  async cached(): Promise<SourceTree | undefined> {
    if (!existsSync(this.o.dir)) return undefined;
    try {
      const commit = (await this.run(["rev-parse", "--verify", `${LAST}^{commit}`])).toString();
      return await this.tree(commit.trim());
    } catch {
      return undefined;
    }
  }

  private async tree(commit: string): Promise<SourceTree> {
    const files = parseLsTree(await this.run(["ls-tree", "-r", "-z", "-l", commit]));
    return {
      revision: commit,
      files,
      read: async (paths) => {
        const ids = paths.map((p) => files.get(p)?.id ?? "");
        const out = new Map<string, Buffer>();
        if (ids.length === 0) return out;
        const blobs = parseCatFile(
          await this.run(["cat-file", "--batch"], `${ids.join("\n")}\n`),
          ids,
        );
        for (const [i, p] of paths.entries()) out.set(p, blobs[i]!);
        return out;
      },
    };
  }
}
