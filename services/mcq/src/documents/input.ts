// Validation of what callers send: slugs, titles, tags, search text. Errors carry stable codes.
import { AppError } from "@metacircular/mcdsl/errors";

export const SLUG_RE = /^[a-z0-9][a-z0-9._-]{0,127}$/;
const TAG_RE = /^[a-z0-9][a-z0-9._-]{0,39}$/;
export const MAX_TAGS = 16;
export const MAX_TITLE = 200;

export function checkSlug(slug: string): string {
  if (!SLUG_RE.test(slug))
    throw AppError.badRequest(
      "invalid_slug",
      "slug must be 1-128 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit",
    );
  return slug;
}

/** A slug from a file name: "Release Notes.md" → "release-notes". */
export function slugFromFileName(name: string): string {
  const base = name.replace(/^.*[\\/]/, "").replace(/\.(md|markdown|txt)$/i, "");
  const s = base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 128);
  return checkSlug(s);
}

export function checkTags(tags: readonly string[]): string[] {
  const out = [...new Set(tags.map((t) => t.trim().toLowerCase()))].filter(Boolean).sort();
  if (out.length > MAX_TAGS) throw AppError.badRequest("too_many_tags", `at most ${MAX_TAGS} tags`);
  for (const t of out)
    if (!TAG_RE.test(t))
      throw AppError.badRequest(
        "invalid_tag",
        `tag "${t}" must be 1-40 of a-z, 0-9, '.', '_', '-'`,
      );
  return out;
}

export function checkTitle(title: string | undefined, fallback: string): string {
  const t = (title ?? "").trim() || fallback;
  if (t.length > MAX_TITLE)
    throw AppError.badRequest("title_too_long", `title is longer than ${MAX_TITLE} characters`);
  return t;
}

/**
 * Free text → an FTS5 query: each word becomes a quoted prefix term (so FTS5 syntax in the
 * input is data, never operators), all terms required. Empty → undefined.
 */
export function ftsQuery(text: string | undefined): string | undefined {
  const words = (text ?? "").match(/[\p{L}\p{N}_]+/gu)?.slice(0, 16) ?? [];
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w}"*`).join(" ");
}
