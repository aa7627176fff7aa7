// A search hit's snippet, cut in process from the page's indexed text, for the rows of the
// results page only. FTS5's snippet() tokenises the whole body of every row again and cost
// 5-12 ms a query (bench/results/mcdoc.md); here one native regular-expression search finds the
// first occurrence and only the few words around it are looked at, whatever the page's size.
// Terms match as FTS5 matched them: case-insensitive prefixes, diacritics ignored; a word the
// porter stemmer matched under another ending ("rendering" → "renders") is found by its crude
// stem; a page matched by its title alone shows the start of its text.

/** The searchable words of free text, as the query is built from them (at most 12). */
export function searchWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+/gu)?.slice(0, 12) ?? [];
}

const WORD = /[\p{L}\p{N}_]+/gu;
const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "");

/** "rendering" → "render", "caches" → "cache": endings porter removes, kept ≥ 3 letters. */
export function crudeStem(word: string): string {
  const m = /^(.{3,}?)(?:ational|ations|ation|ings|ing|ness|ment|edly|ied|ies|ed|es|ly|s)$/iu.exec(
    word,
  );
  return m ? m[1]! : word;
}

/** Matches a word starting with one of `terms` (letters, digits and "_": nothing to escape). */
function termsPattern(terms: readonly string[], flags = "iu"): RegExp | undefined {
  if (!terms.length) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${terms.map((t) => `(${t})`).join("|")})`, flags);
}

const MAX_HITS = 64;

/**
 * For several words: the hit (among the first MAX_HITS) after which the most different words
 * follow within `span` characters, the earliest of equals; FTS5's snippet() also prefers the
 * fragment holding the most query terms.
 */
function richestHit(text: string, all: RegExp, span: number): number {
  const hits: Array<{ at: number; term: number }> = [];
  all.lastIndex = 0;
  for (let m = all.exec(text); m && hits.length < MAX_HITS; m = all.exec(text))
    hits.push({ at: m.index, term: m.slice(1).findIndex((g) => g !== undefined) });
  let best = { at: hits[0]?.at ?? -1, terms: 0 };
  for (let i = 0; i < hits.length; i++) {
    const seen = new Set<number>();
    for (let j = i; j < hits.length && hits[j]!.at - hits[i]!.at <= span; j++)
      seen.add(hits[j]!.term);
    if (seen.size > best.terms) best = { at: hits[i]!.at, terms: seen.size };
  }
  return best.at;
}

/** The words (start, end) of `text` found by scanning from `from`, at most `count` of them. */
function wordsFrom(text: string, from: number, count: number, until = text.length) {
  const out: Array<[number, number]> = [];
  WORD.lastIndex = from;
  for (let m = WORD.exec(text); m && m.index < until && out.length < count; m = WORD.exec(text))
    out.push([m.index, m.index + m[0].length]);
  return out;
}

/** About `size` words of `text` around `at` (a word start), with … where text was left out. */
function around(text: string, at: number, size: number): string {
  const lead = Math.floor(size / 5);
  const scanFrom = Math.max(0, at - 40 * lead);
  // A scan starting inside a word would see its tail as a word: drop it.
  const before = wordsFrom(text, scanFrom, Number.MAX_SAFE_INTEGER, at).slice(scanFrom ? 1 : 0);
  const kept = before.slice(-lead);
  // At either end of the text its punctuation is kept ("(see …", "… the end.").
  const first = kept.length === before.length && scanFrom === 0;
  const start = first ? 0 : (kept[0]?.[0] ?? at);
  const after = wordsFrom(text, at, size - kept.length);
  const more = wordsFrom(text, after.at(-1)?.[1] ?? at, 1).length > 0;
  const end = more ? after.at(-1)![1] : text.length;
  return `${start > 0 ? "…" : ""}${text.slice(start, end)}${more ? "…" : ""}`;
}

/**
 * The snippet maker of one query (its patterns compiled once): about `size` words of a text
 * around the first of the query words `words`.
 */
export function snippetsFor(words: readonly string[], size = 20): (text: string) => string {
  const exact = termsPattern(words);
  const every =
    new Set(words.map((w) => w.toLowerCase())).size > 1 ? termsPattern(words, "giu") : undefined;
  const stems = termsPattern(words.map(crudeStem));
  const folded = termsPattern(words.map(fold));
  const foreign = /[^\p{ASCII}]/u;
  const foreignWords = words.some((w) => foreign.test(w));
  return (text) => {
    let at = every ? richestHit(text, every, size * 5) : exact ? text.search(exact) : -1;
    if (at < 0 && stems) at = text.search(stems);
    if (at < 0 && folded && (foreignWords || foreign.test(text))) {
      // Diacritics: look in the folded text. Stripping the marks of precomposed letters keeps
      // the offsets when no letter decomposed into several (else the start is shown).
      const plain = fold(text);
      const hit = plain.search(folded);
      if (hit >= 0 && plain.length === text.length) at = hit;
    }
    return around(text, Math.max(0, at), size);
  };
}
