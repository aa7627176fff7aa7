// The platform's one markdown renderer (GitHub-flavoured: tables, strikethrough, task lists,
// footnotes, autolinks, heading anchors and a table of contents). Raw HTML in the source is
// never passed through (markdown-it html: false), links and images keep markdown-it's URL
// validation (no javascript:, vbscript:, file: or non-image data:), and every link gets
// rel="nofollow noopener noreferrer". Pure and synchronous: MarkdownRenderer runs it on a worker.
import MarkdownIt, { type MarkdownIt as Md, type Token } from "markdown-it";
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
  /** With rewriteUrl: every link and image URL as written in the source, in document order. */
  links?: SourceLink[];
}

export type LinkKind = "link" | "image";

export interface SourceLink {
  url: string;
  kind: LinkKind;
}

/** Maps a link's href or an image's src (after markdown-it's URL check) to the URL to print. */
export type UrlRewriter = (url: string, kind: LinkKind) => string;

export interface RenderOptions {
  /** Shiki when loaded; without it, or for sources above hugeBytes, highlight.js. */
  highlighter?: CodeHighlighter;
  /** Sources larger than this (UTF-16 units) use highlight.js; default 256 KiB. */
  hugeBytes?: number;
  /** Rewrites link and image URLs (e.g. a repository's relative links to a site's URLs). */
  rewriteUrl?: UrlRewriter;
}

export const DEFAULT_HUGE_BYTES = 256 * 1024;

/** Plugin: passes every link href and image src through `rewrite`, recording the originals. */
function urlRewriting(md: Md, rewrite: UrlRewriter, seen: SourceLink[]): void {
  md.core.ruler.push("mc_urls", (state) => {
    const visit = (tokens: Token[]) => {
      for (const t of tokens) {
        if (t.children) visit(t.children);
        const attr = t.type === "link_open" ? "href" : t.type === "image" ? "src" : undefined;
        if (!attr || t.attrGet("class") === "md-anchor" || t.info === "auto") continue;
        const value = t.attrGet(attr);
        if (value === null) continue;
        const url = String(value);
        const kind: LinkKind = attr === "src" ? "image" : "link";
        seen.push({ url, kind });
        t.attrSet(attr, rewrite(url, kind));
      }
    };
    visit(state.tokens);
  });
}

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
  const md = buildParser(hl, used);
  const links: SourceLink[] = [];
  if (opts.rewriteUrl) urlRewriting(md, opts.rewriteUrl, links);
  const html = md.render(source, env);
  const toc = env.toc ?? [];
  const title = toc.find((e) => e.level === 1)?.text;
  const result: RenderResult = { html, toc, title, highlighter: used.kind };
  if (opts.rewriteUrl) result.links = links;
  return result;
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
