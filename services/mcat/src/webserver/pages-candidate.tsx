// The rehearsal page: a candidate rule set (JSON, prefilled with the live rules), a dry run
// against the newest recorded logins (every allow↔deny flip), lint of the candidate, and apply
// in one step as a new version (refused by MCIAS when the live version moved since).
import {
  CsrfField,
  DataTable,
  Facts,
  Field,
  Section,
  TextAreaField,
} from "@metacircular/mcdsl/web";
import type { DryRunAnswer, LintAnswer } from "../policy/types.ts";
import { FindingsTable } from "./findings-table.tsx";
import { frame, type PageContext } from "./frame.tsx";
import { EffectBadge } from "./rules-table.tsx";

export interface CandidateForm {
  rules: string;
  limit: string;
  comment: string;
  baseVersion: number;
}

function Editor(p: { csrf: string; f: CandidateForm }) {
  return (
    <form
      method="post"
      action="/candidate"
      class="mcat-form mcat-editor"
      aria-label="Candidate policy"
    >
      <CsrfField token={p.csrf} />
      <input type="hidden" name="base_version" value={String(p.f.baseVersion)} />
      <TextAreaField
        name="rules"
        label="Candidate rules (JSON)"
        value={p.f.rules}
        rows={18}
        spellcheck={false}
        hint="Keep a rule's id to change that rule; leave the id out for a new one."
      />
      <Field
        name="limit"
        label="Replay the last N logins"
        type="number"
        inputmode="numeric"
        value={p.f.limit}
      />
      <Field name="comment" label="Comment (for apply)" value={p.f.comment} />
      <div class="mcat-actions">
        <button type="submit" name="action" value="dry-run">
          Dry run
        </button>
        <button type="submit" name="action" value="lint">
          Lint
        </button>
        <button type="submit" name="action" value="apply" class="mcat-danger">
          Apply as version {p.f.baseVersion + 1}
        </button>
      </div>
    </form>
  );
}

const decision = (d: { effect: "allow" | "deny"; rule: number | null }) => (
  <>
    <EffectBadge effect={d.effect} /> {d.rule === null ? "default" : `#${d.rule}`}
  </>
);

function DryRun(p: { r: DryRunAnswer }) {
  return (
    <Section id="dry-run" title="Dry run">
      <Facts
        items={[
          { label: "Replayed logins", value: String(p.r.replayed) },
          { label: "Flips (allow ↔ deny)", value: String(p.r.changes.length), id: "flips" },
          { label: "Same effect, other rule", value: String(p.r.rule_changes) },
          { label: "Compared with version", value: String(p.r.version) },
        ]}
      />
      <DataTable
        id="dry-run-changes"
        rows={p.r.changes}
        empty="No recorded login would change its outcome."
        columns={[
          { label: "When", kind: "nowrap", cell: (c) => c.time.replace("T", " ").slice(0, 19) },
          {
            label: "Account",
            cell: (c) => `${c.username} (${c.roles.join(", ") || c.account_type})`,
          },
          {
            label: "Service",
            kind: "break",
            cell: (c) => `${c.service_name}${c.tags.length ? ` [${c.tags.join(", ")}]` : ""}`,
          },
          { label: "Was", cell: (c) => decision(c.before) },
          { label: "Would be", cell: (c) => decision(c.after) },
        ]}
      />
    </Section>
  );
}

export function candidatePage(
  ctx: PageContext,
  f: CandidateForm,
  res: { dryRun?: DryRunAnswer | undefined; lint?: LintAnswer | undefined } = {},
) {
  return frame(
    ctx,
    "Rehearse a change",
    <>
      <Editor csrf={ctx.csrf} f={f} />
      {res.dryRun ? <DryRun r={res.dryRun} /> : null}
      {res.lint ? (
        <Section id="candidate-lint" title="Lint of the candidate">
          <FindingsTable id="candidate-findings" findings={res.lint.findings} />
        </Section>
      ) : null}
    </>,
  );
}
