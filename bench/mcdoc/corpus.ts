// Generated documentation for the MCDoc benchmark: a repository of N pages in nested sections,
// each with headings, prose, a code block, links to its neighbours and to another section.
import type { Rng } from "@metacircular/testkit";

const WORDS = (
  "proxy route zone record token audience barrier engine mount certificate issuer rotate " +
  "registry manifest layer digest queue document render search index webhook signature " +
  "refresh snapshot cache revision branch commit fetch clone mirror replica quorum lease " +
  "latency throughput budget memory worker thread socket listener resolver forwarder"
).split(" ");

function sentence(r: Rng, n: number): string {
  const w = Array.from({ length: n }, () => r.pick(WORDS));
  return `${w.join(" ").replace(/^./, (c) => c.toUpperCase())}.`;
}

export function pagePath(i: number, perSection: number): string {
  const section = Math.floor(i / perSection);
  return `section-${section}/part-${section % 3}/page-${i % perSection}.md`;
}

export function pageBody(
  r: Rng,
  i: number,
  total: number,
  perSection: number,
  marker = "",
): string {
  const other = pagePath((i + perSection + 1) % total, perSection);
  const next = pagePath((i + 1) % total, perSection);
  const lines = [`# Page ${i} ${marker}`, ""];
  for (let s = 0; s < 4; s++) {
    lines.push(`## ${sentence(r, 3)}`, "");
    lines.push(Array.from({ length: 5 }, () => sentence(r, 12)).join(" "), "");
  }
  lines.push(
    "```typescript",
    `export function page${i}(x: number): number {`,
    `  return x * ${i};`,
    "}",
    "```",
    "",
  );
  lines.push(
    `Next: [page](/${next}) · elsewhere: [another section](/${other}) · [top](/README.md)`,
    "",
  );
  return lines.join("\n");
}

/** A markdown file of about `bytes` bytes: prose, tables and code blocks. */
export function bigDocument(r: Rng, bytes: number): string {
  const parts: string[] = ["# A large document", ""];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const block =
      i % 5 === 4
        ? ["```python", `def f${i}(x):`, `    return [y * ${i} for y in range(x)]`, "```", ""].join(
            "\n",
          )
        : i % 7 === 6
          ? `| a | b |\n| - | - |\n| ${sentence(r, 2)} | ${sentence(r, 3)} |\n\n`
          : `## Part ${i}\n\n${Array.from({ length: 6 }, () => sentence(r, 14)).join(" ")}\n\n`;
    parts.push(block);
    size += block.length;
  }
  return parts.join("\n");
}
