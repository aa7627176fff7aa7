// Heading anchors and the table of contents: every heading gets a stable id ("md-" + a GitHub-
// style slug, numbered when repeated) and a trailing "#" permalink; the headings are collected
// in document order. The "md-" prefix keeps pushed ids from clobbering the page's own ids.
import type { MarkdownIt, StateCore, Token } from "markdown-it";

export interface TocEntry {
  level: number;
  id: string;
  text: string;
}

export function slugify(text: string): string {
  const s = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .trim()
    .replace(/\s+/g, "-");
  return s || "section";
}

function inlineText(token: Token | undefined): string {
  if (!token?.children) return token?.content ?? "";
  return token.children
    .filter((t) => t.type === "text" || t.type === "code_inline")
    .map((t) => t.content)
    .join("");
}

function permalink(state: StateCore, id: string): Token[] {
  const open = new state.Token("link_open", "a", 1);
  open.attrSet("class", "md-anchor");
  open.attrSet("href", `#${id}`);
  open.attrSet("aria-label", "link to this section");
  const text = new state.Token("text", "", 0);
  text.content = "#";
  const space = new state.Token("text", "", 0);
  space.content = " ";
  return [space, open, text, new state.Token("link_close", "a", -1)];
}

/** Plugin: ids, permalinks and env.toc (TocEntry[]). */
export function anchors(md: MarkdownIt): void {
  md.core.ruler.push("mc_anchors", (state) => {
    const seen = new Map<string, number>();
    const toc: TocEntry[] = [];
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.type !== "heading_open") continue;
      const inline = tokens[i + 1];
      const text = inlineText(inline).trim();
      const base = `md-${slugify(text)}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      const id = n === 0 ? base : `${base}-${n}`;
      t.attrSet("id", id);
      toc.push({ level: Number(t.tag.slice(1)), id, text });
      inline?.children?.push(...permalink(state, id));
    }
    (state.env as { toc?: TocEntry[] }).toc = toc;
  });
}
