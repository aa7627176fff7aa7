// Admin: login policy rules — list (evaluation order), create, edit and delete. The same
// PolicyStore and the same audit events as the REST API.
import {
  Badge,
  CheckboxGroup,
  type Column,
  DataTable,
  EmptyState,
  Field,
  Section,
  SelectField,
} from "@metacircular/mcdsl/web";
import type { Context } from "hono";
import type { Core } from "../app.ts";
import type { PolicyRule } from "../policy/policy.ts";
import type { Env, Router } from "../server/router.ts";
import { ruleJson } from "../server/routes-policy-audit.ts";
import { Csrf, page } from "./layout.tsx";
import { ctx, type Form, failure, notice, readForm } from "./ui-forms.ts";

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 429;

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

function ruleInput(f: Form) {
  const priority = f.str("priority", 16).trim();
  return {
    priority: /^\d+$/.test(priority) ? Number(priority) : Number.NaN,
    effect: f.str("effect", 16),
    roles: f.all("roles"),
    account_types: f.all("account_types"),
    service_names: list(f.str("service_names")),
    tags: list(f.str("tags")),
    description: f.str("description", 500),
  };
}

/** What the rule form shows: a stored rule, or what a refused submission carried. */
interface RuleValues {
  priority: string;
  effect: string;
  roles: string[];
  accountTypes: string[];
  serviceNames: string;
  tags: string;
  description: string;
}

function storedValues(r: PolicyRule | undefined): RuleValues {
  return {
    priority: String(r?.priority ?? 100),
    effect: r?.effect ?? "allow",
    roles: r?.roles ?? [],
    accountTypes: r?.accountTypes ?? [],
    serviceNames: r?.serviceNames.join(", ") ?? "",
    tags: r?.tags.join(", ") ?? "",
    description: r?.description ?? "",
  };
}

function submittedValues(f: Form): RuleValues {
  return {
    priority: f.str("priority", 16),
    effect: f.str("effect", 16),
    roles: f.all("roles"),
    accountTypes: f.all("account_types"),
    serviceNames: f.str("service_names"),
    tags: f.str("tags"),
    description: f.str("description", 500),
  };
}

const option = (v: string) => ({ value: v, label: v });

function RuleForm(p: { csrf: string; action: string; values: RuleValues; submit: string }) {
  const v = p.values;
  return (
    <form method="post" action={p.action} id="rule-form" class="kit-form">
      <Csrf token={p.csrf} />
      <Field
        name="priority"
        label="Priority (lower is evaluated first)"
        inputmode="numeric"
        required
        value={v.priority}
      />
      <SelectField
        name="effect"
        label="Effect"
        value={v.effect === "deny" ? "deny" : "allow"}
        options={["allow", "deny"].map(option)}
      />
      <CheckboxGroup
        name="roles"
        label="Roles (any of; none = every role)"
        options={["admin", "user", "guest"].map(option)}
        values={v.roles}
      />
      <CheckboxGroup
        name="account_types"
        label="Account types (none = both)"
        options={["human", "system"].map(option)}
        values={v.accountTypes}
      />
      <Field
        name="service_names"
        label="Services (comma-separated; empty = every service)"
        value={v.serviceNames}
      />
      <Field name="tags" label="Tags (comma-separated; all must be present)" value={v.tags} />
      <Field name="description" label="Description" maxlength={500} value={v.description} />
      <div class="kit-actions">
        <button type="submit">{p.submit}</button>
      </div>
    </form>
  );
}

function RuleTable(p: { rules: PolicyRule[]; csrf: string }) {
  const any = (xs: string[]) => (xs.length ? xs.join(", ") : "any");
  const columns: Column<PolicyRule>[] = [
    { label: "Priority", cell: (r) => String(r.priority), kind: "num" },
    {
      label: "Effect",
      cell: (r) => <Badge tone={r.effect === "allow" ? "ok" : "bad"}>{r.effect}</Badge>,
    },
    { label: "Roles", cell: (r) => any(r.roles) },
    { label: "Types", cell: (r) => any(r.accountTypes) },
    { label: "Services", cell: (r) => any(r.serviceNames), kind: "break" },
    { label: "Tags", cell: (r) => r.tags.join(", "), kind: "break" },
    { label: "Description", cell: (r) => r.description },
    {
      label: "Actions",
      cell: (r) => (
        <div class="kit-actions">
          <a class="kit-button kit-secondary" href={`/ui/admin/policies/${r.id}`}>
            Edit
          </a>
          <form method="post" action={`/ui/admin/policies/${r.id}/delete`}>
            <Csrf token={p.csrf} />
            <button type="submit" class="kit-danger">
              Delete
            </button>
          </form>
        </div>
      ),
    },
  ];
  return (
    <DataTable
      id="rules"
      columns={columns}
      rows={p.rules}
      empty={
        <EmptyState
          id="no-rules"
          title="No rules yet: every login gets the default."
          action={
            <a class="kit-button kit-secondary" href="#add-rule">
              Add a rule
            </a>
          }
        />
      }
    />
  );
}

function ruleId(c: Context): number {
  const id = Number(c.req.param("id"));
  return Number.isInteger(id) && id > 0 ? id : 0;
}

export function registerAdminPolicyPages(r: Router, core: Core): void {
  const audit = (event: string, actor: string, detail: Record<string, unknown>) =>
    core.audit.append({ event, outcome: "success", actor, detail });

  const listPage = (c: Context<Env>, status: Status, error?: string, refused?: RuleValues) => {
    const { me, csrf } = ctx(c);
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
            <strong id="policy-default">{core.cfg.policy.default}</strong>.
          </p>
          <RuleTable rules={core.policy.list()} csrf={csrf} />
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
  };

  const editPage = (
    c: Context<Env>,
    id: number,
    status: Status,
    error?: string,
    refused?: RuleValues,
  ) => {
    const { me, csrf } = ctx(c);
    let rule: PolicyRule;
    try {
      rule = core.policy.get(id);
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
  };

  r.add("GET", "/ui/admin/policies", (c) => listPage(c, 200));
  r.add("POST", "/ui/admin/policies", async (c) => {
    const form = await readForm(c);
    try {
      const rule = core.policy.create(ruleInput(form));
      audit("policy_created", ctx(c).me.username, { rule: ruleJson(rule) });
    } catch (e) {
      return listPage(c, failure(e).status, failure(e).message, submittedValues(form));
    }
    return c.redirect("/ui/admin/policies?done=policy_created", 303);
  });
  r.add("GET", "/ui/admin/policies/:id", (c) => editPage(c, ruleId(c), 200));
  r.add("POST", "/ui/admin/policies/:id", async (c) => {
    const id = ruleId(c);
    const form = await readForm(c);
    try {
      const rule = core.policy.update(id, ruleInput(form));
      audit("policy_updated", ctx(c).me.username, { rule: ruleJson(rule) });
    } catch (e) {
      return editPage(c, id, failure(e).status, failure(e).message, submittedValues(form));
    }
    return c.redirect("/ui/admin/policies?done=policy_updated", 303);
  });
  r.add("POST", "/ui/admin/policies/:id/delete", (c) => {
    const id = ruleId(c);
    try {
      core.policy.delete(id);
      audit("policy_deleted", ctx(c).me.username, { rule: id });
    } catch (e) {
      return listPage(c, failure(e).status, failure(e).message);
    }
    return c.redirect("/ui/admin/policies?done=policy_deleted", 303);
  });
}
