// The trace page: an account (optionally with its password), a service and tags → MCIAS's
// decision, the deciding rule, and why each rule before it did not match.
import { CsrfField, DataTable, Facts, Field, Section } from "@metacircular/mcdsl/web";
import type { TraceAnswer } from "../policy/types.ts";
import { frame, type PageContext } from "./frame.tsx";
import { EffectBadge } from "./rules-table.tsx";

export interface TraceForm {
  username?: string | undefined;
  service_name?: string | undefined;
  tags?: string | undefined;
}

function TraceFormView(p: { csrf: string; f: TraceForm }) {
  return (
    <form method="post" action="/trace" class="mcat-form" aria-label="Trace a login">
      <CsrfField token={p.csrf} />
      <Field name="username" label="Account" value={p.f.username} required autocapitalize="none" />
      <Field
        name="password"
        label="Password (optional)"
        type="password"
        autocomplete="off"
        hint="Checked without counting a failed login; leave empty to trace the policy only."
      />
      <Field
        name="service_name"
        label="Service"
        value={p.f.service_name}
        required
        autocapitalize="none"
      />
      <Field
        name="tags"
        label="Tags"
        value={p.f.tags}
        hint="Comma-separated, e.g. env:prod"
        autocapitalize="none"
      />
      <button type="submit">Trace</button>
    </form>
  );
}

const CREDENTIALS: Record<TraceAnswer["credentials"], string> = {
  not_checked: "not checked",
  valid: "valid",
  invalid: "wrong password",
  unusable: "account has no password",
};

function Result(p: { t: TraceAnswer }) {
  const t = p.t;
  return (
    <Section id="trace-result" title="Decision">
      <Facts
        items={[
          { label: "Decision", value: <EffectBadge effect={t.effect} />, id: "decision" },
          {
            label: "Decided by",
            value: t.rule === null ? `the default (${t.default})` : `rule #${t.rule}`,
            id: "decided-by",
          },
          {
            label: "Account",
            value: `${t.account.username} (${t.account.type}; ${t.account.roles.join(", ") || "no roles"}; ${t.account.status})`,
          },
          {
            label: "Context",
            value: `${t.service_name}${t.tags.length ? ` [${t.tags.join(", ")}]` : ""}`,
          },
          { label: "Credentials", value: CREDENTIALS[t.credentials] },
          {
            label: "Would log in",
            value: t.would_log_in
              ? t.second_factor_required
                ? "yes, after a TOTP code"
                : "yes"
              : "no",
            id: "would-log-in",
          },
          { label: "Policy version", value: t.version === null ? "candidate" : String(t.version) },
        ]}
      />
      <DataTable
        id="trace-steps"
        rows={t.steps}
        empty="No rules: the default decided."
        columns={[
          { label: "Rule", kind: "num", cell: (s) => `#${s.rule.id}` },
          { label: "Priority", kind: "num", cell: (s) => String(s.rule.priority) },
          { label: "Effect", cell: (s) => <EffectBadge effect={s.rule.effect} /> },
          {
            label: "Why",
            kind: "break",
            cell: (s) =>
              s.matched ? (
                <strong>matched: this rule decided</strong>
              ) : (
                <ul class="mcat-reasons">
                  {s.mismatches.map((m) => (
                    <li>{m.explanation}</li>
                  ))}
                </ul>
              ),
          },
        ]}
      />
    </Section>
  );
}

export function tracePage(ctx: PageContext, f: TraceForm, t?: TraceAnswer) {
  return frame(
    ctx,
    "Trace a login",
    <>
      <TraceFormView csrf={ctx.csrf} f={f} />
      {t ? <Result t={t} /> : null}
    </>,
  );
}
