// bench/results/mcns.md is written by two scripts: run.ts (throughput and CPU per query) and
// footprint.ts (idle memory, CLI latency). Each owns its part; the footprint section is the
// file's last and survives a run.ts rewrite.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

export const REPORT = resolve(import.meta.dirname, "../results/mcns.md");
export const FOOTPRINT_HEADING = "## Idle memory and CLI latency";

function footprintOf(text: string): string {
  const at = text.indexOf(`\n${FOOTPRINT_HEADING}\n`);
  return at < 0 ? "" : text.slice(at);
}

/** Writes run.ts's report, keeping the footprint section already in the file. */
export function writeMainReport(md: string): void {
  const old = existsSync(REPORT) ? readFileSync(REPORT, "utf8") : "";
  writeFileSync(REPORT, `${md.trimEnd()}\n${footprintOf(old)}`);
}

/** Replaces (or appends) the footprint section. */
export function writeFootprintSection(section: string): void {
  const old = existsSync(REPORT) ? readFileSync(REPORT, "utf8") : "";
  const cut = old.indexOf(`\n${FOOTPRINT_HEADING}\n`);
  const head = cut < 0 ? old.trimEnd() : old.slice(0, cut).trimEnd();
  writeFileSync(REPORT, `${head}\n\n${FOOTPRINT_HEADING}\n\n${section.trim()}\n`);
}
