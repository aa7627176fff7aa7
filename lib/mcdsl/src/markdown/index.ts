// @metacircular/mcdsl/markdown — the platform's one markdown renderer (see README "markdown").
export { slugify, type TocEntry } from "./anchors.ts";
export { type DiffResult, renderMarkdownDiff } from "./diff.ts";
export {
  type CodeHighlighter,
  escapeHtml,
  type HighlighterKind,
  hljsHighlighter,
  loadShiki,
  normalizeLang,
  SHIKI_LANGS,
} from "./highlight.ts";
export {
  DEFAULT_HUGE_BYTES,
  type LinkKind,
  markdownBlocks,
  type RenderOptions,
  type RenderResult,
  renderMarkdown,
  type SourceLink,
  type UrlRewriter,
} from "./render.ts";
export { MarkdownRenderer, type MarkdownRendererOptions } from "./renderer.ts";
export { runRenderWorker, type UrlRewriterFactory } from "./worker.ts";
