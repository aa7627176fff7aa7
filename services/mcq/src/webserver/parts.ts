// A very large rendered document is read in parts: one page of a 1.4 MB HTML body kept
// Chromium's main thread busy for 400-600 ms (bench/results/mcq.md). The body is cut only
// between top-level blocks, so every part is well-formed HTML on its own, and each part is at
// least `budget` characters (the last one may be shorter). Plain links move between parts:
// no script is needed.

/** Containers whose insides are never cut. Code is escaped by the renderer, so a tag seen
 * here is markup, not text. */
const CONTAINERS = new Set(["blockquote", "ul", "ol", "table", "div", "details", "section", "pre"]);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g;

export const PART_BUDGET = 192 * 1024;

export function splitParts(html: string, budget = PART_BUDGET): string[] {
  if (html.length <= budget) return [html];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (const m of html.matchAll(TAG)) {
    const name = m[2]!.toLowerCase();
    const closing = m[1] === "/";
    if (!closing && depth === 0 && m.index - start >= budget) {
      parts.push(html.slice(start, m.index));
      start = m.index;
    }
    if (CONTAINERS.has(name)) depth = Math.max(0, depth + (closing ? -1 : 1));
  }
  parts.push(html.slice(start));
  return parts;
}

/** One part of a document as the reader page shows it. */
export interface ReaderPart {
  /** 0-based. */
  index: number;
  count: number;
  html: string;
  /** The part (0-based) holding each element id, for links from the contents. */
  partOfId: ReadonlyMap<string, number>;
}

const ID = /\sid="([^"]+)"/g;

/** Part `requested` (1-based, from ?part=) of the rendered body; a missing or bad number is
 * part 1, a number past the end the last part. */
export function readerPart(
  html: string,
  requested: string | undefined,
  budget = PART_BUDGET,
): ReaderPart {
  const parts = splitParts(html, budget);
  const n = Number.parseInt(requested ?? "1", 10);
  const index = Number.isFinite(n) ? Math.min(Math.max(n, 1), parts.length) - 1 : 0;
  const partOfId = new Map<string, number>();
  if (parts.length > 1)
    parts.forEach((p, i) => {
      for (const m of p.matchAll(ID)) partOfId.set(m[1]!, i);
    });
  return { index, count: parts.length, html: parts[index]!, partOfId };
}
