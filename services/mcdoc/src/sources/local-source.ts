// A local directory (this project's own clone, for npm start): the markdown files and images on
// disk as they are now. Dot-directories, node_modules and build output are skipped; symbolic
// links are not followed, so nothing outside the directory is ever read.
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { isSiteFile, type Source, type SourceTree, type TreeFile } from "./tree.ts";

const SKIP = new Set(["node_modules", "dist", "build", "coverage"]);

async function walk(root: string, rel: string, files: Map<string, TreeFile>): Promise<void> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith(".") || SKIP.has(e.name)) continue;
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(root, path, files);
    else if (e.isFile() && isSiteFile(path)) {
      const s = await stat(join(root, path));
      files.set(path, { size: s.size, id: `${s.size}:${s.mtimeMs}` });
    }
  }
}

export class LocalSource implements Source {
  constructor(private readonly root: string) {}

  async load(): Promise<SourceTree> {
    const files = new Map<string, TreeFile>();
    await walk(this.root, "", files);
    const h = createHash("sha256");
    for (const [p, f] of [...files].sort(([a], [b]) => (a < b ? -1 : 1)))
      h.update(`${p}\0${f.id}\0`);
    return {
      revision: h.digest("hex").slice(0, 40),
      files,
      read: async (paths) => {
        const out = new Map<string, Buffer>();
        for (const p of paths) if (files.has(p)) out.set(p, await readFile(join(this.root, p)));
        return out;
      },
    };
  }

  async cached(): Promise<SourceTree | undefined> {
    return undefined;
  }
}
