// A search result's snippet, cut from the document's body in process: FTS5's snippet() walks
// the whole match's doclist for each row, which cost 20-50 ms per page of results when the
// word is in every document (bench/results/mcq.md). Words compare as the FTS5 tokenizer
// folds them (case and diacritics), query terms as prefixes.

const WORD = /[\p{L}\p{N}_]+/gu;
const fold = (w: string) => w.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** About `size` words of `body` around the first word starting with one of `terms`. */
export function snippetOf(body: string, terms: readonly string[], size = 16): string {
  const wanted = terms.map(fold);
  const words = [...body.matchAll(WORD)];
  const hit = words.findIndex((m) => {
    const w = fold(m[0]);
    return wanted.some((t) => w.startsWith(t));
  });
  if (hit < 0) return "";
  const from = Math.max(0, hit - Math.floor(size / 4));
  const to = Math.min(words.length, from + size) - 1;
  const start = words[from]!.index;
  const end = words[to]!.index + words[to]![0].length;
  return `${from > 0 ? "…" : ""}${body.slice(start, end)}${to < words.length - 1 ? "…" : ""}`;
}

/** The words of an FTS5 query made by ftsQuery ("word"* "other"*). */
export function queryTerms(match: string): string[] {
  return [...match.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
}
