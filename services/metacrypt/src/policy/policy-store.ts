// The rule set, kept as one MEK-sealed system entry ("sys/policy/rules").

import { AppError } from "@metacircular/mcdsl/errors";
import type { MountStore } from "../barrier/mount-store.ts";
import { orderRules, type Rule } from "./rules.ts";

const PATH = "policy/rules";

export class PolicyStore {
  constructor(private readonly sys: () => MountStore) {}

  list(): Rule[] {
    const v = this.sys().get(PATH);
    return v ? orderRules(JSON.parse(v.toString("utf8")) as Rule[]) : [];
  }

  put(rule: Rule): Rule {
    const rules = this.list().filter((r) => r.id !== rule.id);
    rules.push(rule);
    this.sys().put(PATH, Buffer.from(JSON.stringify(orderRules(rules))));
    return rule;
  }

  delete(id: string): void {
    const rules = this.list();
    if (!rules.some((r) => r.id === id)) throw AppError.notFound("rule_not_found", `no rule ${id}`);
    this.sys().put(PATH, Buffer.from(JSON.stringify(rules.filter((r) => r.id !== id))));
  }
}
