// Lint of a rule set, as pure functions over the rules and what is known about the platform:
// - shadowed: an earlier rule (in evaluation order) matches every context this one matches, so
//   this one can never decide (detected rule against rule; a cover by several rules together
//   is not reported);
// - conflict: two rules of the same priority with opposite effects that can match the same
//   login, so only their ids (creation order) decide between them;
// - unknown_service / unknown_tag: names no recorded login and no configured list knows; a rule
//   whose every service, or any one tag (tags are all required), is unknown never matches;
// - unused: a rule that decided no login in the coverage window.
import type { PolicyRule } from "./engine.ts";
import { evaluationOrder } from "./engine.ts";

export type LintKind = "shadowed" | "conflict" | "unknown_service" | "unknown_tag" | "unused";

export interface LintFinding {
  kind: LintKind;
  severity: "error" | "warning" | "info";
  ruleId: number;
  /** The rule that shadows or conflicts with this one. */
  otherRuleId?: number;
  /** Unknown service or tag names. */
  names?: string[];
  message: string;
}

export interface LintFacts {
  knownServices: ReadonlySet<string>;
  knownTags: ReadonlySet<string>;
  /** Rules that decided a login in the window; undefined = coverage not checked. */
  matched?: ReadonlySet<number>;
  windowDays?: number;
}

/** Every value of `inner` is allowed by `outer` (an empty list allows everything). */
function allows(outer: string[], inner: string[]): boolean {
  if (outer.length === 0) return true;
  return inner.length > 0 && inner.every((x) => outer.includes(x));
}

/** `e` matches every context `r` matches. */
export function covers(e: PolicyRule, r: PolicyRule): boolean {
  return (
    allows(e.roles, r.roles) &&
    allows(e.accountTypes, r.accountTypes) &&
    allows(e.serviceNames, r.serviceNames) &&
    e.tags.every((t) => r.tags.includes(t))
  );
}

/** Some login can match both (a context has one type and one service, but any roles and tags). */
function overlap(a: PolicyRule, b: PolicyRule): boolean {
  const meet = (x: string[], y: string[]) =>
    x.length === 0 || y.length === 0 || x.some((v) => y.includes(v));
  return meet(a.accountTypes, b.accountTypes) && meet(a.serviceNames, b.serviceNames);
}

function structural(ordered: PolicyRule[]): LintFinding[] {
  const out: LintFinding[] = [];
  ordered.forEach((r, i) => {
    const by = ordered.slice(0, i).find((e) => covers(e, r));
    if (by)
      out.push({
        kind: "shadowed",
        severity: "error",
        ruleId: r.id,
        otherRuleId: by.id,
        message: `rule ${r.id} can never decide: rule ${by.id} (priority ${by.priority}) matches every login it matches`,
      });
    for (const e of ordered.slice(0, i))
      if (e.priority === r.priority && e.effect !== r.effect && overlap(e, r))
        out.push({
          kind: "conflict",
          severity: "warning",
          ruleId: r.id,
          otherRuleId: e.id,
          message: `rules ${e.id} (${e.effect}) and ${r.id} (${r.effect}) share priority ${r.priority} and can match the same login; only their ids order them`,
        });
  });
  return out;
}

function names(r: PolicyRule, f: LintFacts): LintFinding[] {
  const out: LintFinding[] = [];
  const svc = r.serviceNames.filter((s) => !f.knownServices.has(s));
  if (svc.length) {
    const dead = svc.length === r.serviceNames.length;
    out.push({
      kind: "unknown_service",
      severity: dead ? "error" : "warning",
      ruleId: r.id,
      names: svc,
      message: `rule ${r.id} names unknown service ${svc.join(", ")}${dead ? ": it can never match" : ""}`,
    });
  }
  const tags = r.tags.filter((t) => !f.knownTags.has(t));
  if (tags.length)
    out.push({
      kind: "unknown_tag",
      severity: "error",
      ruleId: r.id,
      names: tags,
      message: `rule ${r.id} requires unknown tag ${tags.join(", ")}: it can never match`,
    });
  return out;
}

export function lintRules(rules: readonly PolicyRule[], f: LintFacts): LintFinding[] {
  const ordered = evaluationOrder(rules);
  const out = structural(ordered);
  for (const r of ordered) out.push(...names(r, f));
  if (f.matched)
    for (const r of ordered)
      if (!f.matched.has(r.id))
        out.push({
          kind: "unused",
          severity: "info",
          ruleId: r.id,
          message: `rule ${r.id} decided no login in the last ${f.windowDays ?? 30} days`,
        });
  return out;
}
