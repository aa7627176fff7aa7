// The platform's one markdown renderer (GitHub-flavoured: tables, strikethrough, task lists,
// footnotes, autolinks, heading anchors and a table of contents). Raw HTML in the source is
// never passed through (markdown-it html: false), links and images keep markdown-it's URL
// validation (no javascript:, vbscript:, file: or non-image data:), and every link gets
// rel="nofollow noopener noreferrer". Pure and synchronous: MarkdownRenderer runs it on a worker.
import MarkdownIt, { type MarkdownIt as Md } from "markdown-it";
import footnote from "markdown-it-footnote";
import { anchors, type TocEntry } from "./anchors.ts";
import { type CodeHighlighter, escapeHtml, hljsHighlighter, normalizeLang } from "./highlight.ts";
import { taskLists } from "./task-lists.ts";

export interface RenderResult {
  html: string;
  toc: TocEntry[];
  /** Text of the first level-1 heading, if any. */
  title: string | undefined;
  /** What highlighted the code blocks ("none" when there were none to highlight). */
  highlighter: "shiki" | "hljs" | "none";
}

export interface RenderOptions {
  /** Shiki when loaded; without it, or for sources above hugeBytes, highlight.js. */
  highlighter?: CodeHighlighter;
  /** Sources larger than this (UTF-16 units) use highlight.js; default 256 KiB. */
  hugeBytes?: number;
}

export const DEFAULT_HUGE_BYTES = 256 * 1024;

function buildParser(hl: CodeHighlighter, used: { kind: RenderResult["highlighter"] }): Md {
  const md = new MarkdownIt("default", { html: false, linkify: true, typographer: false });
  md.use(footnote).use(taskLists).use(anchors);
  md.options.highlight = (code, info) => {
    const lang = normalizeLang(info);
    const body = hl.highlight(code, lang);
    if (body !== null) used.kind = hl.kind;
    const langAttr = lang ? ` data-lang="${escapeHtml(lang)}"` : "";
    return `<pre class="md-code"${langAttr}><code>${body ?? escapeHtml(code)}</code></pre>\n`;
  };
  const defaultLink = md.renderer.rules.link_open;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const t = tokens[idx]!;
    if (t.attrGet("class") !== "md-anchor") t.attrSet("rel", "nofollow noopener noreferrer");
    return defaultLink
      ? defaultLink(tokens, idx, options, env, self)
      : self.renderToken(tokens, idx, options);
  };
  return md;
}

export function renderMarkdown(source: string, opts: RenderOptions = {}): RenderResult {
  const huge = source.length > (opts.hugeBytes ?? DEFAULT_HUGE_BYTES);
  const hl = !huge && opts.highlighter ? opts.highlighter : hljsHighlighter;
  const used: { kind: RenderResult["highlighter"] } = { kind: "none" };
  const env: { toc?: TocEntry[] } = {};
  const html = buildParser(hl, used).render(source, env);
  const toc = env.toc ?? [];
  return { html, toc, title: toc.find((e) => e.level === 1)?.text, highlighter: used.kind };
}

/** The top-level blocks of a source (paragraphs, lists, fences, tables...) as source text. */
export function markdownBlocks(source: string): string[] {
  const md = new MarkdownIt("default", { html: false });
  md.use(footnote);
  const lines = source.split("\n");
  const blocks: string[] = [];
  for (const t of md.parse(source, {})) {
    if (t.level !== 0 || t.nesting === -1 || !t.map) continue;
    blocks.push(lines.slice(t.map[0], t.map[1]).join("\n"));
  }
  return blocks;
}
