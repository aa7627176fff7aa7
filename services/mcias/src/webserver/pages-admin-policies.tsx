// Admin: login policy rules — list (evaluation order), create, edit and delete, through the same
// audited domain functions as the REST and gRPC APIs (src/policy/admin.ts).
import { Section } from "@metacircular/mcdsl/web";
import type { Context } from "hono";
import type { Core } from "../app.ts";
import { createRule, deleteRule, getRule, listRules, updateRule } from "../policy/admin.ts";
import type { PolicyRule } from "../policy/policy.ts";
import type { Env, Router } from "../server/router.ts";
import {
  RuleForm,
  RuleTable,
  type RuleValues,
  ruleInput,
  storedValues,
  submittedValues,
} from "./admin-policy-forms.tsx";
import { page } from "./layout.tsx";
import { ctx, failure, notice, readForm } from "./ui-forms.ts";

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 429;

function ruleId(c: Context): number {
  const id = Number(c.req.param("id"));
  return Number.isInteger(id) && id > 0 ? id : 0;
}

function listPage(
  core: Core,
  c: Context<Env>,
  status: Status,
  error?: string,
  refused?: RuleValues,
) {
  const { me, csrf } = ctx(c);
  const { defaultEffect, rules } = listRules(core);
  return page(c, status, {
    title: "Login policy",
    csrf,
    me,
    notice: notice(c),
    error,
    children: (
      <>
        <p>
          The first matching rule decides; without a match the default applies:{" "}
          <strong id="policy-default">{defaultEffect}</strong>.
        </p>
        <RuleTable rules={rules} csrf={csrf} />
        <Section id="add-rule" title="Add a rule" card>
          <RuleForm
            csrf={csrf}
            action="/ui/admin/policies"
            values={refused ?? storedValues(undefined)}
            submit="Add rule"
          />
        </Section>
      </>
    ),
  });
}

function editPage(
  core: Core,
  c: Context<Env>,
  id: number,
  status: Status,
  error?: string,
  refused?: RuleValues,
) {
  const { me, csrf } = ctx(c);
  let rule: PolicyRule;
  try {
    rule = getRule(core, id);
  } catch (e) {
    return page(c, 404, { title: "Rule", csrf, me, error: failure(e).message });
  }
  return page(c, status, {
    title: `Rule ${id}`,
    csrf,
    me,
    error,
    children: (
      <>
        <RuleForm
          csrf={csrf}
          action={`/ui/admin/policies/${id}`}
          values={refused ?? storedValues(rule)}
          submit="Save"
        />
        <p>
          <a href="/ui/admin/policies">All rules</a>
        </p>
      </>
    ),
  });
}

export function registerAdminPolicyPages(r: Router, core: Core): void {
  const done = (c: Context<Env>, what: string) =>
    c.redirect(`/ui/admin/policies?done=${what}`, 303);
  r.add("GET", "/ui/admin/policies", (c) => listPage(core, c, 200));
  r.add("POST", "/ui/admin/policies", async (c) => {
    const form = await readForm(c);
    try {
      createRule(core, ctx(c).me.username, ruleInput(form));
    } catch (e) {
      const f = failure(e);
      return listPage(core, c, f.status, f.message, submittedValues(form));
    }
    return done(c, "policy_created");
  });
  r.add("GET", "/ui/admin/policies/:id", (c) => editPage(core, c, ruleId(c), 200));
  r.add("POST", "/ui/admin/policies/:id", async (c) => {
    const id = ruleId(c);
    const form = await readForm(c);
    try {
      updateRule(core, ctx(c).me.username, id, ruleInput(form));
    } catch (e) {
      const f = failure(e);
      return editPage(core, c, id, f.status, f.message, submittedValues(form));
    }
    return done(c, "policy_updated");
  });
  r.add("POST", "/ui/admin/policies/:id/delete", (c) => {
    try {
      deleteRule(core, ctx(c).me.username, ruleId(c));
    } catch (e) {
      return listPage(core, c, failure(e).status, failure(e).message);
    }
    return done(c, "policy_deleted");
  });
}
