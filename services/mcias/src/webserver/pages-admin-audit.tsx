// Admin: the audit log (filter by event, actor and subject; newest first, paged) and the
// hash-chain verification. Both are reads, so both are GETs.
import {
  Badge,
  type BadgeTone,
  type Column,
  DataTable,
  EmptyState,
  Field,
  JsonDetail,
  Pager,
  Time,
} from "@metacircular/mcdsl/web";
import type { Core } from "../app.ts";
import type { AuditRow } from "../audit/audit-log.ts";
import type { Router } from "../server/router.ts";
import { page } from "./layout.tsx";
import { ctx } from "./ui-forms.ts";

export const AUDIT_PAGE_SIZE = 50;
/** The audit query returns at most 1000 newest rows; older ones: `mciasctl audit list`. */
const MAX_PAGES = 1000 / AUDIT_PAGE_SIZE;

function Filters(p: { event: string; actor: string; subject: string }) {
  return (
    <form method="get" action="/ui/admin/audit" id="audit-filter" class="kit-filters">
      <Field name="event" label="Event" value={p.event} autocapitalize="none" />
      <Field name="actor" label="Actor" value={p.actor} autocapitalize="none" />
      <Field name="subject" label="Subject" value={p.subject} autocapitalize="none" />
      <div class="kit-actions">
        <button type="submit">Filter</button>
        {(p.event || p.actor || p.subject) && (
          <a class="kit-button kit-secondary" href="/ui/admin/audit">
            Clear
          </a>
        )}
      </div>
    </form>
  );
}

const OUTCOME_TONE: Record<string, BadgeTone> = { success: "ok", failure: "bad" };

const COLUMNS: Column<AuditRow>[] = [
  { label: "#", cell: (e) => String(e.seq), kind: "num" },
  { label: "Time", cell: (e) => <Time at={e.ts} />, kind: "nowrap" },
  { label: "Event", cell: (e) => e.event },
  { label: "Outcome", cell: (e) => <Badge tone={OUTCOME_TONE[e.outcome]}>{e.outcome}</Badge> },
  { label: "Actor", cell: (e) => e.actor ?? "" },
  { label: "Subject", cell: (e) => e.subject ?? "" },
  { label: "IP", cell: (e) => e.ip ?? "" },
  { label: "Detail", cell: (e) => <JsonDetail value={e.detail} />, kind: "wide" },
];

function Rows(p: { rows: AuditRow[]; filtered: boolean }) {
  return (
    <DataTable
      id="audit"
      columns={COLUMNS}
      rows={p.rows}
      empty={
        <EmptyState
          id="audit-empty"
          title={p.filtered ? "No events match these filters." : "No events on this page."}
          action={
            <a class="kit-button kit-secondary" href="/ui/admin/audit">
              {p.filtered ? "Clear the filters" : "Back to the newest events"}
            </a>
          }
        >
          Event names are exact, for example <code>login_success</code> or{" "}
          <code>account_created</code>.
        </EmptyState>
      }
    />
  );
}

export function registerAdminAuditPages(r: Router, core: Core): void {
  r.add("GET", "/ui/admin/audit", (c) => {
    const { me, csrf } = ctx(c);
    const q = (k: string) => (c.req.query(k) ?? "").slice(0, 128).trim();
    const f = { event: q("event"), actor: q("actor"), subject: q("subject") };
    const n = Math.min(Math.max(Number.parseInt(q("page"), 10) || 1, 1), MAX_PAGES);
    const all = core.audit.query({
      event: f.event || undefined,
      actor: f.actor || undefined,
      subject: f.subject || undefined,
      limit: n * AUDIT_PAGE_SIZE + 1,
    });
    const rows = all.slice((n - 1) * AUDIT_PAGE_SIZE, n * AUDIT_PAGE_SIZE);
    const more = all.length > n * AUDIT_PAGE_SIZE && n < MAX_PAGES;
    const link = (to: number) =>
      `/ui/admin/audit?${new URLSearchParams({ ...f, page: String(to) })}`;
    return page(c, 200, {
      title: "Audit log",
      csrf,
      me,
      actions: (
        <form method="get" action="/ui/admin/audit/verify">
          <button type="submit" class="kit-secondary">
            Verify hash chain
          </button>
        </form>
      ),
      children: (
        <>
          <Filters {...f} />
          <Rows rows={rows} filtered={Boolean(f.event || f.actor || f.subject)} />
          <Pager
            page={n}
            prev={n > 1 ? link(n - 1) : undefined}
            next={more ? link(n + 1) : undefined}
          />
        </>
      ),
    });
  });

  r.add("GET", "/ui/admin/audit/verify", (c) => {
    const { me, csrf } = ctx(c);
    const v = core.audit.verify();
    return page(c, 200, {
      title: "Audit chain",
      csrf,
      me,
      notice: v.ok ? `The chain is intact (${v.rows} rows).` : undefined,
      error: v.ok ? undefined : `The chain is broken: ${v.problems.length} problem(s).`,
      children: (
        <>
          {!v.ok && (
            <ul id="audit-problems">
              {v.problems.map((p) => (
                <li>
                  Row {p.seq}: {p.problem}
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/ui/admin/audit">Back to the log</a>
          </p>
        </>
      ),
    });
  });
}
