// Deterministic markdown for the MCQ benchmark: documents of a given size made of what pushed
// notes contain (headings, paragraphs, lists, task lists, tables, fenced code in a few
// languages), from a seeded generator so every run measures the same text.

const WORDS = (
  "deploy proxy route certificate token account zone record queue document render diff " +
  "version review agent service platform ingress registry secret policy audit backup restore " +
  "migration schema index search query latency budget cache worker thread stream socket " +
  "kernel memory garbage compaction snapshot replica leader follower quorum lease timeout " +
  "retry backoff jitter window bucket shard partition ledger journal checkpoint"
).split(" ");

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const words = (r: () => number, n: number) => Array.from({ length: n }, () => pick(r, WORDS));
const sentence = (r: () => number) => {
  const w = words(r, 8 + Math.floor(r() * 10)).join(" ");
  return `${w[0]!.toUpperCase()}${w.slice(1)}.`;
};

const CODE: Record<string, (r: () => number) => string> = {
  ts: (r) =>
    `export async function ${pick(r, WORDS)}(input: string): Promise<number> {\n  const n = input.length * ${Math.floor(r() * 100)};\n  return n > 10 ? n : await Promise.resolve(0);\n}`,
  json: (r) =>
    `{\n  "name": "${pick(r, WORDS)}",\n  "replicas": ${Math.floor(r() * 9)},\n  "enabled": true\n}`,
  bash: (r) =>
    `mcq push ${pick(r, WORDS)}.md --tag ${pick(r, WORDS)}\ncurl -fsS http://127.0.0.1:8443/v1/health`,
};

function section(r: () => number, i: number): string {
  const parts = [`## ${i + 1}. ${words(r, 3).join(" ")}`];
  parts.push(Array.from({ length: 3 }, () => sentence(r)).join(" "));
  const kind = i % 4;
  if (kind === 0)
    parts.push(
      words(r, 4)
        .map((w) => `- ${w} ${sentence(r)}`)
        .join("\n"),
    );
  if (kind === 1)
    parts.push(
      words(r, 3)
        .map((w, j) => `- [${j % 2 ? "x" : " "}] ${w}`)
        .join("\n"),
    );
  if (kind === 2) {
    const rows = Array.from({ length: 4 }, () => `| ${words(r, 3).join(" | ")} |`);
    parts.push(["| service | state | note |", "| --- | --- | --- |", ...rows].join("\n"));
  }
  if (kind === 3) {
    const lang = pick(r, Object.keys(CODE));
    parts.push(`\`\`\`${lang}\n${CODE[lang]!(r)}\n\`\`\``);
  }
  parts.push(Array.from({ length: 4 }, () => sentence(r)).join(" "));
  return parts.join("\n\n");
}

/** Markdown of about `bytes` bytes (never more), from `seed`. */
export function markdownOfSize(bytes: number, seed: number): string {
  const r = rng(seed);
  let out = `# Benchmark document ${seed}\n\n${sentence(r)}\n`;
  for (let i = 0; ; i++) {
    const next = `\n${section(r, i)}\n`;
    if (Buffer.byteLength(out + next) > bytes) return out;
    out += next;
  }
}

const SYLLABLES = "ka lo mi ra su te vo ni ba de fu gi ho ju ke ly mo pa qu si".split(" ");

/** The k-th word of a 5,000-word made-up vocabulary (k >= 0). */
function vocab(k: number): string {
  let w = "";
  for (let n = k + SYLLABLES.length; n > 0; n = Math.floor(n / SYLLABLES.length))
    w += SYLLABLES[n % SYLLABLES.length];
  return w;
}

/** A word drawn Zipf-like (rank ~ 1/r) from the 5,000-word vocabulary, as in real text. */
export function zipfWord(r: () => number): string {
  return vocab(Math.floor(5000 ** r()) - 1);
}

/** A small document (title and a few paragraphs) for the search corpus: the platform's common
 * words plus 40 words drawn from a larger vocabulary, so a search matches some documents, not
 * all. */
export function smallDocument(i: number): { title: string; body: string } {
  const r = rng(i + 1);
  const title = `${words(r, 3).join(" ")} ${i}`;
  const rare = Array.from({ length: 40 }, () => zipfWord(r)).join(" ");
  const body = `# ${title}\n\n${Array.from({ length: 10 }, () => sentence(r)).join(" ")} ${rare}.\n`;
  return { title, body };
}

export const VOCABULARY = WORDS;

/** The searches of the benchmark: realistic ones (words drawn as they occur in the text: one
 * word, two words, a prefix) and the worst case (a platform word every document contains). */
export function searchQueries(): { typical: string[]; everywhere: string[] } {
  const r = rng(7);
  const typical = Array.from({ length: 400 }, (_, i) =>
    i % 3 === 0
      ? zipfWord(r)
      : i % 3 === 1
        ? `${zipfWord(r)} ${zipfWord(r)}`
        : zipfWord(r).slice(0, 4),
  );
  const everywhere = Array.from({ length: 100 }, (_, i) => VOCABULARY[i % VOCABULARY.length]!);
  return { typical, everywhere };
}
