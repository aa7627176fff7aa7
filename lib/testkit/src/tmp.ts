// Temporary directories that clean themselves up when the test ends.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDir {
  path: string;
  /** Path of a file or folder inside the temp dir. */
  join(...parts: string[]): string;
  remove(): void;
}

export function makeTempDir(prefix = "mc-test-"): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    join: (...parts) => join(path, ...parts),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** A temp dir removed by the given test context's `after` hook (node:test's `t.after`). */
export function tempDirFor(t: { after(fn: () => void): void }, prefix?: string): TempDir {
  const dir = makeTempDir(prefix);
  t.after(() => dir.remove());
  return dir;
}
