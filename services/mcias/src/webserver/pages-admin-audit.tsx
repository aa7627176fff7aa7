// Admin: the audit log (filter by event, actor and subject; newest first, paged) and the
// hash-chain verification. Both are reads, so both are GETs.
import type { AuditRow } from "../audit/audit-log.ts";
import type { Core } from "../core.ts";
import type { Router } from "../server/router.ts";
import { page } from "./layout.tsx";
import { ctx } from "./ui-forms.ts";

export const AUDIT_PAGE_SIZE = 50;
/** The audit query returns at most 1000 newest rows; older ones: `mciasctl audit list`. */
const MAX_PAGES = 1000 / AUDIT_PAGE_SIZE;

function Filters(p: { event: string; actor: string; subject: string }) {
  return (
    <form method="get" action="/ui/admin/audit" id="audit-filter">
      <label>
        Event
        <input name="event" value={p.event} />
      </label>
      <label>
        Actor
        <input name="actor" value={p.actor} />
      </label>
      <label>
        Subject
        <input name="subject" value={p.subject} />
      </label>
      <button type="submit">Filter</button>
    </form>
  );
}

function Rows(p: { rows: AuditRow[] }) {
  return (
    <table id="audit">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Time</th>
          <th scope="col">Event</th>
          <th scope="col">Outcome</th>
          <th scope="col">Actor</th>
          <th scope="col">Subject</th>
          <th scope="col">IP</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((e) => (
          <tr>
            <td>{e.seq}</td>
            <td>{new Date(e.ts).toISOString().replace("T", " ").slice(0, 19)}</td>
            <td>{e.event}</td>
            <td>{e.outcome}</td>
            <td>{e.actor ?? ""}</td>
            <td>{e.subject ?? ""}</td>
            <td>{e.ip ?? ""}</td>
            <td>
              <code>{e.detail}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
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
      children: (
        <>
          <Filters {...f} />
          <form method="get" action="/ui/admin/audit/verify">
            <button type="submit">Verify hash chain</button>
          </form>
          <Rows rows={rows} />
          <nav aria-label="Pages" class="pager">
            {n > 1 && <a href={link(n - 1)}>Newer</a>}
            <span>Page {n}</span>
            {more && (
              <a href={link(n + 1)} rel="next">
                Older
              </a>
            )}
          </nav>
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
