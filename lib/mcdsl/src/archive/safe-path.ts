// Path checks for extraction: an entry may only create things inside the target directory.
import { lstatSync } from "node:fs";
import { isAbsolute, join, posix, relative, resolve } from "node:path";
import { ArchiveError } from "./tar-format.ts";

/** Validates an entry name and returns it normalised (no leading "./", no trailing "/"). */
export function safeEntryName(name: string): string {
  if (name === "" || name.includes("\0"))
    throw new ArchiveError(`refusing entry with empty or NUL name`);
  if (name.startsWith("/") || /^[A-Za-z]:[\\/]/.test(name))
    throw new ArchiveError(`refusing absolute path "${name}"`);
  if (name.includes("\\")) throw new ArchiveError(`refusing backslash in "${name}"`);
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) throw new ArchiveError(`refusing path with ".." "${name}"`);
  if (parts.length === 0) return ".";
  return parts.join("/");
}

export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** A symlink target must be relative and resolve inside the root from where the link lives. */
export function checkSymlink(root: string, entryName: string, linkname: string): void {
  if (linkname === "" || isAbsolute(linkname)) {
    throw new ArchiveError(
      `refusing symlink "${entryName}" → "${linkname}": absolute or empty target`,
    );
  }
  const from = resolve(root, posix.dirname(entryName));
  if (!isInside(root, resolve(from, linkname))) {
    throw new ArchiveError(
      `refusing symlink "${entryName}" → "${linkname}": points outside the target`,
    );
  }
}

/**
 * No existing component of the entry's parent path may be a symlink: writing through a link the
 * archive itself created is how "link → .., then link/evil" escapes.
 */
export function checkNoSymlinkParents(root: string, entryName: string): void {
  const parts = entryName.split("/").slice(0, -1);
  let cur = root;
  for (const p of parts) {
    cur = join(cur, p);
    try {
      if (lstatSync(cur).isSymbolicLink()) {
        throw new ArchiveError(
          `refusing "${entryName}": parent "${relative(root, cur)}" is a symlink`,
        );
      }
    } catch (e) {
      if (e instanceof ArchiveError) throw e;
      return; // does not exist yet: nothing below it can be a link
    }
  }
}
