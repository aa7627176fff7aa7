// Repository policy: priority-ordered rules (repository pattern × subject × actions → allow or
// deny). The first rule, in priority order, that matches the repository, the subject and the
// action decides; nothing matching means deny. Admins bypass the rules.
import { isAdmin } from "@metacircular/mcdsl/identity";
import type { Principal } from "../registry/principal.ts";

export type Action = "pull" | "push" | "delete";
export const ACTIONS: readonly Action[] = ["pull", "push", "delete"];

export type Subject =
  | { kind: "user"; name: string }
  | { kind: "system"; name: string }
  | { kind: "role"; name: string }
  | { kind: "any" };

export interface Rule {
  id: number;
  /** Lower runs first; ties in creation order. */
  priority: number;
  /** Glob over repository names: `*` within one path component, `**` across components. */
  repository: string;
  subject: Subject;
  actions: Action[];
  effect: "allow" | "deny";
}

export type Decision =
  | { allowed: true; by: "admin" | number }
  | { allowed: false; by: "default" | number };

const globCache = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (re) return re;
  let src = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "*" && pattern[i + 1] === "*") {
      src += ".*";
      i++;
    } else if (ch === "*") src += "[^/]*";
    else src += ch.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  re = new RegExp(`^${src}$`);
  globCache.set(pattern, re);
  return re;
}

function subjectMatches(s: Subject, p: Principal): boolean {
  switch (s.kind) {
    case "any":
      return true;
    case "role":
      return p.roles.includes(s.name);
    case "user":
      return p.accountType === "human" && p.username === s.name;
    case "system":
      return p.accountType === "system" && p.username === s.name;
  }
}

export function sortRules(rules: Rule[]): Rule[] {
  return [...rules].sort((a, b) => a.priority - b.priority || a.id - b.id);
}

/** `rules` must be in priority order (sortRules). */
export function decide(rules: Rule[], p: Principal, repo: string, action: Action): Decision {
  if (isAdmin(p as Parameters<typeof isAdmin>[0])) return { allowed: true, by: "admin" };
  for (const r of rules) {
    if (!r.actions.includes(action) || !subjectMatches(r.subject, p)) continue;
    if (!globToRegExp(r.repository).test(repo)) continue;
    return r.effect === "allow" ? { allowed: true, by: r.id } : { allowed: false, by: r.id };
  }
  return { allowed: false, by: "default" };
}
