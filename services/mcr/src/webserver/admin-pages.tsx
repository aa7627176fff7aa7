// The admin pages: policy rules (list, add, delete) and the audit log (filtered, paged).
import {
  CheckboxGroup,
  CsrfField,
  DataTable,
  EmptyState,
  Field,
  type FieldErrors,
  type FormValues,
  formValue,
  formValues,
  JsonDetail,
  Pager,
  Section,
  SelectField,
  Time,
} from "@metacircular/mcdsl/web";
import type { RuleView } from "../policy/policy-store.ts";
import type { AuditEntry } from "../registry/audit.ts";
import { frame, type PageContext } from "./frame.tsx";

export interface PolicyForm {
  values?: FormValues;
  errors?: FieldErrors;
}

function AddRule(p: { csrf: string; form: PolicyForm }) {
  const v = p.form.values;
  const e = p.form.errors ?? {};
  return (
    <form method="post" action="/policies" class="kit-form" id="add-rule">
      <CsrfField token={p.csrf} />
      <div class="kit-grid">
        <Field
          name="priority"
          label="Priority"
          type="number"
          inputmode="numeric"
          value={formValue(v, "priority") ?? "100"}
          error={e.priority}
          hint="Lower runs first."
          required
        />
        <Field
          name="repository"
          label="Repository pattern"
          value={formValue(v, "repository")}
          error={e.repository}
          hint="* within a path component, ** across."
          autocapitalize="none"
          spellcheck={false}
          required
        />
        <SelectField
          name="subject_kind"
          label="Subject kind"
          value={formValue(v, "subject_kind") ?? "role"}
          error={e.subject_kind}
          options={["user", "system", "role", "any"].map((k) => ({ value: k, label: k }))}
        />
        <Field
          name="subject"
          label="Subject"
          value={formValue(v, "subject")}
          error={e.subject}
          hint="Account or role name; empty for any."
          autocapitalize="none"
          spellcheck={false}
        />
        <SelectField
          name="effect"
          label="Effect"
          value={formValue(v, "effect") ?? "allow"}
          error={e.effect}
          options={[
            { value: "allow", label: "allow" },
            { value: "deny", label: "deny" },
          ]}
        />
        <CheckboxGroup
          name="actions"
          label="Actions"
          values={formValues(v, "actions")}
          error={e.actions}
          options={["pull", "push", "delete"].map((a) => ({ value: a, label: a }))}
        />
      </div>
      <div class="kit-actions">
        <button type="submit">Add rule</button>
      </div>
    </form>
  );
}

export function policiesPage(ctx: PageContext, rules: RuleView[], form: PolicyForm = {}) {
  const body = (
    <>
      <DataTable
        id="rules"
        rows={rules}
        columns={[
          { label: "Id", kind: "num", cell: (r) => r.id },
          { label: "Priority", kind: "num", cell: (r) => r.priority },
          { label: "Repository", kind: "break", cell: (r) => <code>{r.repository}</code> },
          {
            label: "Subject",
            kind: "break",
            cell: (r) => (r.subject_kind === "any" ? "any" : `${r.subject_kind}:${r.subject}`),
          },
          { label: "Actions", cell: (r) => r.actions.join(", ") },
          { label: "Effect", cell: (r) => r.effect },
          {
            label: "Action",
            kind: "nowrap",
            cell: (r) => (
              <form method="post" action={`/policies/${r.id}/delete`} class="kit-inline">
                <CsrfField token={ctx.csrf} />
                <button type="submit" class="kit-danger" aria-label={`Delete rule ${r.id}`}>
                  Delete
                </button>
              </form>
            ),
          },
        ]}
        empty={
          <EmptyState id="no-rules" title="No rules: only admins reach any repository">
            Add a rule below to let users, system accounts or roles pull, push or delete.
          </EmptyState>
        }
      />
      <Section id="add" title="Add a rule" card>
        <AddRule csrf={ctx.csrf} form={form} />
      </Section>
    </>
  );
  return frame(ctx, "Policies", body);
}

export interface AuditFilter {
  action?: string | undefined;
  repository?: string | undefined;
}

function auditHref(f: AuditFilter, before?: number): string {
  const q = new URLSearchParams();
  if (f.action) q.set("action", f.action);
  if (f.repository) q.set("repository", f.repository);
  if (before !== undefined) q.set("before", String(before));
  const s = q.toString();
  return s ? `/audit?${s}` : "/audit";
}

/** `next` is the id the following page starts below, when there is one; `paged` = not the first. */
export function auditPage(
  ctx: PageContext,
  entries: AuditEntry[],
  f: AuditFilter,
  page: { paged: boolean; next?: number | undefined },
) {
  const next = page.next;
  const body = (
    <>
      <form method="get" action="/audit" class="kit-filters" aria-label="Filter the audit log">
        <Field name="action" label="Action" value={f.action} autocapitalize="none" />
        <Field name="repository" label="Repository" value={f.repository} autocapitalize="none" />
        <button type="submit">Filter</button>
      </form>
      <DataTable
        id="audit"
        rows={entries}
        columns={[
          { label: "When", kind: "nowrap", cell: (e) => <Time at={e.at} /> },
          { label: "Actor", kind: "break", cell: (e) => e.actor },
          { label: "Action", kind: "nowrap", cell: (e) => e.action },
          { label: "Repository", kind: "break", cell: (e) => e.repository ?? "—" },
          { label: "Reference", kind: "break", cell: (e) => e.reference ?? "—" },
          { label: "Detail", kind: "wide", cell: (e) => <JsonDetail value={e.detail} /> },
        ]}
        empty={<EmptyState id="no-audit" title="No audit entries match" />}
      />
      <Pager
        label="Audit pages"
        prev={page.paged ? auditHref(f) : undefined}
        next={next === undefined ? undefined : auditHref(f, next)}
      />
    </>
  );
  return frame(ctx, "Audit log", body);
}
