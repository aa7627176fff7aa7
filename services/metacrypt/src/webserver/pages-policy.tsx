// Policy rules (list, add, delete) and the explain form, which names the deciding rule.
import {
  Badge,
  type Column,
  CsrfField,
  DataTable,
  EmptyState,
  Facts,
  Field,
  type FieldErrors,
  type Flash,
  type FormValues,
  formValue,
  Section,
  SelectField,
} from "@metacircular/mcdsl/web";
import type { Decision } from "../policy/evaluate.ts";
import type { Rule } from "../policy/rules.ts";
import { frame, type PageContext } from "./frame.tsx";

function DeleteRule(p: { id: string; csrf: string }) {
  return (
    <form method="post" action={`/policies/${p.id}/delete`} aria-label={`Delete rule ${p.id}`}>
      <CsrfField token={p.csrf} />
      <button type="submit" class="kit-danger">
        Delete
      </button>
    </form>
  );
}

function ruleColumns(csrf: string): Column<Rule>[] {
  return [
    { label: "Id", cell: (r) => <code>{r.id}</code>, kind: "break" },
    { label: "Priority", cell: (r) => String(r.priority), kind: "num" },
    {
      label: "Effect",
      cell: (r) => <Badge tone={r.effect === "allow" ? "ok" : "bad"}>{r.effect}</Badge>,
    },
    { label: "Subject", cell: (r) => r.subject, kind: "break" },
    { label: "Mount", cell: (r) => r.mount },
    { label: "Operations", cell: (r) => r.operations.join(", "), kind: "break" },
    { label: "Names", cell: (r) => (r.names ?? []).join(", ") || "—", kind: "break" },
    { label: "Action", cell: (r) => <DeleteRule id={r.id} csrf={csrf} /> },
  ];
}

const EFFECTS = [
  { value: "allow", label: "allow" },
  { value: "deny", label: "deny" },
];
const ACCOUNT_TYPES = [
  { value: "human", label: "human user" },
  { value: "system", label: "system account" },
];

function AddRule(p: { csrf: string; values?: FormValues; errors?: FieldErrors }) {
  const v = (k: string) => formValue(p.values, k);
  const e = p.errors ?? {};
  return (
    <form method="post" action="/policies" class="kit-form" id="add-rule">
      <CsrfField token={p.csrf} />
      <Field
        name="id"
        label="Rule id"
        value={v("id")}
        error={e.id}
        autocapitalize="none"
        required
      />
      <Field name="priority" label="Priority" value={v("priority") ?? "100"} inputmode="numeric" />
      <SelectField name="effect" label="Effect" value={v("effect")} options={EFFECTS} />
      <Field
        name="subject"
        label="Subject"
        value={v("subject")}
        error={e.subject}
        hint="user:<name>, system:<name>, role:<role> or *"
        autocapitalize="none"
        required
      />
      <Field name="mount" label="Mount" value={v("mount") ?? "*"} autocapitalize="none" />
      <Field
        name="operations"
        label="Operations"
        value={v("operations") ?? "*"}
        hint="Comma-separated, or *"
        autocapitalize="none"
      />
      <Field
        name="names"
        label="Names"
        value={v("names")}
        hint="Comma-separated name patterns (optional)"
        autocapitalize="none"
      />
      <div class="kit-actions">
        <button type="submit">Add rule</button>
      </div>
    </form>
  );
}

export interface ExplainQuery {
  username: string;
  account_type: string;
  roles: string;
  mount: string;
  operation: string;
  names: string;
}

function Explain(p: { q: ExplainQuery; decision?: Decision | undefined }) {
  const d = p.decision;
  return (
    <>
      <form method="get" action="/policies" class="kit-form" id="explain-form">
        <Field
          id="x-username"
          name="username"
          label="User"
          value={p.q.username}
          autocapitalize="none"
          required
        />
        <SelectField
          id="x-account_type"
          name="account_type"
          label="Account type"
          value={p.q.account_type}
          options={ACCOUNT_TYPES}
        />
        <Field id="x-roles" name="roles" label="Roles" value={p.q.roles} hint="Comma-separated" />
        <Field
          id="x-mount"
          name="mount"
          label="Mount"
          value={p.q.mount}
          autocapitalize="none"
          required
        />
        <Field id="x-operation" name="operation" label="Operation" value={p.q.operation} required />
        <Field id="x-names" name="names" label="Names" value={p.q.names} hint="Comma-separated" />
        <div class="kit-actions">
          <button type="submit">Explain</button>
        </div>
      </form>
      {d && (
        <Facts
          id="decision"
          items={[
            {
              label: "Decision",
              value: <Badge tone={d.allowed ? "ok" : "bad"}>{d.allowed ? "allow" : "deny"}</Badge>,
              id: "decision-effect",
            },
            { label: "Deciding rule", value: <code>{d.rule}</code>, id: "decision-rule" },
            { label: "Reason", value: d.reason },
          ]}
        />
      )}
    </>
  );
}

export function policiesPage(
  ctx: PageContext,
  v: {
    rules: Rule[];
    q: ExplainQuery;
    decision?: Decision | undefined;
    add?: { values: FormValues; errors: FieldErrors };
    flash?: Flash[] | undefined;
  },
) {
  const body = (
    <>
      <DataTable
        id="rules"
        rows={v.rules}
        columns={ruleColumns(ctx.csrf)}
        empty={
          <EmptyState id="no-rules" title="No rules">
            Everything but admin requests is denied (default deny).
          </EmptyState>
        }
      />
      <div class="kit-grid">
        <Section id="add" title="Add a rule" card>
          <AddRule csrf={ctx.csrf} {...(v.add ?? {})} />
        </Section>
        <Section id="explain" title="Explain a decision" card>
          <Explain q={v.q} decision={v.decision} />
        </Section>
      </div>
    </>
  );
  return frame(ctx, "Policies", body, v.flash ? { flash: v.flash } : {});
}
