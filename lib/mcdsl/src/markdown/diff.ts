// A rendered diff between two versions of a document: both sources are cut into their top-level
// blocks (paragraphs, lists, code fences, tables), the block sequences are compared, and each
// added or removed block is rendered on its own inside a marked section. Runs of unchanged
// blocks collapse into one line, so the reader sees only what changed.
import { diffArrays } from "diff";
import { escapeHtml } from "./highlight.ts";
import { markdownBlocks, type RenderOptions, renderMarkdown } from "./render.ts";

export interface DiffResult {
  html: string;
  /** Blocks added and removed. */
  added: number;
  removed: number;
}

function section(kind: "add" | "del", blocks: string[], opts: RenderOptions): string {
  const label = kind === "add" ? "Added" : "Removed";
  const inner = blocks.map((b) => renderMarkdown(b, opts).html).join("");
  return `<section class="md-diff-${kind}" aria-label="${label}"><p class="md-diff-label">${label}</p>${inner}</section>\n`;
}

export function renderMarkdownDiff(
  before: string,
  after: string,
  opts: RenderOptions = {},
): DiffResult {
  const parts = diffArrays(markdownBlocks(before), markdownBlocks(after)) ?? [];
  let html = "";
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    if (p.added) {
      added += p.value.length;
      html += section("add", p.value, opts);
    } else if (p.removed) {
      removed += p.value.length;
      html += section("del", p.value, opts);
    } else {
      const n = p.value.length;
      html += `<p class="md-diff-same">${escapeHtml(`${n} unchanged ${n === 1 ? "block" : "blocks"}`)}</p>\n`;
    }
  }
  return { html, added, removed };
}
