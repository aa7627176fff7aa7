// Admin, login policy: the rule form (with what a refused submission carried) and the table of
// rules in evaluation order.
import {
  Badge,
  CheckboxGroup,
  type Column,
  DataTable,
  EmptyState,
  Field,
  SelectField,
} from "@metacircular/mcdsl/web";
import type { PolicyRule } from "../policy/policy.ts";
import { Csrf } from "./layout.tsx";
import type { Form } from "./ui-forms.ts";

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** The form as the domain's rule input. */
export function ruleInput(f: Form) {
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
export interface RuleValues {
  priority: string;
  effect: string;
  roles: string[];
  accountTypes: string[];
  serviceNames: string;
  tags: string;
  description: string;
}

export function storedValues(r: PolicyRule | undefined): RuleValues {
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

export function submittedValues(f: Form): RuleValues {
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

export function RuleForm(p: { csrf: string; action: string; values: RuleValues; submit: string }) {
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

export function RuleTable(p: { rules: PolicyRule[]; csrf: string }) {
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
