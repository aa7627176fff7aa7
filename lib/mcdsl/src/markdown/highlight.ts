// Syntax highlighting for fenced code, always as classes (never inline styles, so a strict
// style-src CSP holds): Shiki's TextMate grammars with the css-variables theme, each token colour
// variable turned into a "sh-<name>" class; highlight.js ("hljs-<scope>" classes) as the cheap
// fallback for huge documents. Both return the escaped inner HTML of <code>, or null when the
// language is unknown (the caller then prints the code plain).
import { createRequire } from "node:module";
import {
  type BundledLanguage,
  createCssVariablesTheme,
  createHighlighter,
  type Highlighter,
} from "shiki";

/**
 * The part of highlight.js used here, typed locally: its own declarations pull the DOM library
 * into every program that imports them.
 */
interface Hljs {
  getLanguage(name: string): unknown;
  highlight(code: string, o: { language: string; ignoreIllegals: boolean }): { value: string };
}
const hljs = createRequire(import.meta.url)("highlight.js/lib/common") as Hljs;

export type HighlighterKind = "shiki" | "hljs";

export interface CodeHighlighter {
  readonly kind: HighlighterKind;
  highlight(code: string, lang: string): string | null;
}

/** The grammars Shiki loads at start-up (each costs start-up time and memory). */
export const SHIKI_LANGS = [
  "bash",
  "c",
  "cpp",
  "css",
  "diff",
  "dockerfile",
  "go",
  "html",
  "ini",
  "java",
  "javascript",
  "json",
  "jsx",
  "markdown",
  "proto",
  "python",
  "rust",
  "sql",
  "toml",
  "tsx",
  "typescript",
  "yaml",
] as const;

const THEME = createCssVariablesTheme({ name: "mc-classes", variablePrefix: "--sh-" });

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** "TypeScript {.x}" → "typescript"; anything odd → "". */
export function normalizeLang(info: string): string {
  const word = info.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  return /^[a-z0-9_+#.-]{1,32}$/.test(word) ? word : "";
}

function tokenClass(color: string | undefined): string | undefined {
  const m = color ? /^var\(--sh-(?:token-)?([a-z-]+)\)$/.exec(color) : null;
  return m && m[1] !== "foreground" ? `sh-${m[1]}` : undefined;
}

function shikiHighlighter(hl: Highlighter): CodeHighlighter {
  const loaded = new Set(hl.getLoadedLanguages());
  return {
    kind: "shiki",
    highlight(code, lang) {
      if (!lang || !loaded.has(lang)) return null;
      // No time limit: Shiki's default (500 ms per line) silently leaves the rest of a line
      // untokenized while a grammar is still being compiled on a busy machine.
      const lines = hl.codeToTokens(code, {
        lang: lang as BundledLanguage,
        theme: "mc-classes",
        tokenizeTimeLimit: 0,
      }).tokens;
      return lines
        .map((line) =>
          line
            .map((t) => {
              const cls = tokenClass(t.color);
              const text = escapeHtml(t.content);
              return cls ? `<span class="${cls}">${text}</span>` : text;
            })
            .join(""),
        )
        .join("\n");
    },
  };
}

/** Loads Shiki with SHIKI_LANGS (about a second; do it once, off the event loop). */
export async function loadShiki(): Promise<CodeHighlighter> {
  const hl = await createHighlighter({ themes: [THEME], langs: [...SHIKI_LANGS] });
  const h = shikiHighlighter(hl);
  for (const lang of SHIKI_LANGS) h.highlight("x", lang); // compile each grammar now
  return h;
}

export const hljsHighlighter: CodeHighlighter = {
  kind: "hljs",
  highlight(code, lang) {
    if (!lang || !hljs.getLanguage(lang)) return null;
    return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
  },
};
