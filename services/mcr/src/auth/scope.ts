// arch: parser
// Token scopes as registry clients send them: "repository:<name>:<action>[,<action>...]" and
// "registry:catalog:*". The name may itself hold ":" (a host:port prefix), so the type ends at
// the first colon and the actions start after the last.
import type { Action } from "../policy/rules.ts";

export type Scope =
  | { type: "repository"; name: string; actions: Action[] }
  | { type: "registry"; name: "catalog"; actions: ["*"] };

const KNOWN: Record<string, Action[]> = {
  pull: ["pull"],
  push: ["push"],
  delete: ["delete"],
  "*": ["pull", "push", "delete"],
};

/** One scope; undefined for a malformed or unknown one (ignored, as the token spec allows). */
export function parseScope(text: string): Scope | undefined {
  const first = text.indexOf(":");
  const last = text.lastIndexOf(":");
  if (first <= 0 || last === first || text.length > 600) return undefined;
  const type = text.slice(0, first).replace(/\(.*\)$/, "");
  const name = text.slice(first + 1, last);
  const actionText = text.slice(last + 1);
  if (type === "registry")
    return name === "catalog" && actionText === "*"
      ? { type: "registry", name: "catalog", actions: ["*"] }
      : undefined;
  if (type !== "repository" || name === "") return undefined;
  const actions = new Set<Action>();
  for (const a of actionText.split(",")) for (const x of KNOWN[a] ?? []) actions.add(x);
  return actions.size > 0 ? { type: "repository", name, actions: [...actions] } : undefined;
}

/** Every scope of a request: repeated `scope` parameters, each possibly space-separated. */
export function parseScopes(values: string[]): Scope[] {
  const out: Scope[] = [];
  for (const v of values)
    for (const part of v.split(" ")) {
      const s = part ? parseScope(part) : undefined;
      if (s) out.push(s);
    }
  return out;
}

export function formatScope(s: Scope): string {
  return `${s.type}:${s.name}:${s.actions.join(",")}`;
}
