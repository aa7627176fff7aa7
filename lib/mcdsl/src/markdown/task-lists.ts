// GitHub task lists: a list item whose paragraph starts with "[ ] " or "[x] " becomes a
// disabled checkbox (the reader shows state, it does not edit it).
import type { MarkdownIt, StateCore, Token } from "markdown-it";

const MARK = /^\[([ xX])\][ \t]/;

function checkbox(state: StateCore, checked: boolean): Token {
  const box = new state.Token("html_inline", "", 0);
  // A disabled checkbox still needs a name for assistive technology.
  const mark = checked ? ' checked aria-label="done"' : ' aria-label="not done"';
  box.content = `<input class="md-task" type="checkbox" disabled${mark}> `;
  return box;
}

function addClass(token: Token, cls: string): void {
  const prev = token.attrGet("class");
  token.attrSet("class", prev ? `${prev} ${cls}` : cls);
}

/** Index of the list open token enclosing the item at `item`, or -1. */
function enclosingList(tokens: Token[], item: number): number {
  const level = tokens[item]!.level - 1;
  for (let j = item - 1; j >= 0; j--) {
    const t = tokens[j]!;
    if (t.level === level && (t.type === "bullet_list_open" || t.type === "ordered_list_open"))
      return j;
  }
  return -1;
}

export function taskLists(md: MarkdownIt): void {
  md.core.ruler.after("inline", "mc_task_lists", (state) => {
    const tokens = state.tokens;
    for (let i = 0; i + 2 < tokens.length; i++) {
      if (tokens[i]!.type !== "list_item_open" || tokens[i + 1]!.type !== "paragraph_open")
        continue;
      const inline = tokens[i + 2]!;
      const first = inline.children?.[0];
      const m = first?.type === "text" ? MARK.exec(first.content) : null;
      if (!first || !m) continue;
      first.content = first.content.slice(m[0].length);
      inline.children!.unshift(checkbox(state, m[1] !== " "));
      addClass(tokens[i]!, "md-task-item");
      const list = enclosingList(tokens, i);
      if (list >= 0 && !String(tokens[list]!.attrGet("class") ?? "").includes("md-tasks"))
        addClass(tokens[list]!, "md-tasks");
    }
  });
}
