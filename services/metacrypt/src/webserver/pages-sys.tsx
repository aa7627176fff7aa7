// Status, unseal, mounts and the audit log.
import {
  Badge,
  type Column,
  CsrfField,
  DataTable,
  EmptyState,
  Facts,
  Field,
  type Flash,
  JsonDetail,
  Pager,
  Section,
  Time,
} from "@metacircular/mcdsl/web";
import type { AuditRow } from "../audit/audit-log.ts";
import type { SealStatus } from "../barrier/index.ts";
import type { MountInfo } from "../mounts/mount-table.ts";
import { frame, type PageContext, plainFrame } from "./frame.tsx";

function StateBadge(p: { s: SealStatus }) {
  if (!p.s.initialized) return <Badge tone="warn">not initialised</Badge>;
  return p.s.sealed ? <Badge tone="bad">sealed</Badge> : <Badge tone="ok">unsealed</Badge>;
}

function statusFacts(s: SealStatus, version: string) {
  return [
    { label: "State", value: <StateBadge s={s} />, id: "state" },
    { label: "Unseal mode", value: s.mode ?? "—" },
    ...(s.mode === "shamir"
      ? [{ label: "Shares", value: `${s.threshold} of ${s.shares} needed` }]
      : []),
    ...(s.progress !== undefined
      ? [{ label: "Shares received", value: String(s.progress), id: "progress" }]
      : []),
    { label: "Version", value: version, id: "version" },
  ];
}

export function statusPage(ctx: PageContext, s: SealStatus, flash?: Flash[]) {
  const actions =
    ctx.admin && !s.sealed ? (
      <form method="post" action="/seal" id="seal">
        <CsrfField token={ctx.csrf} />
        <button type="submit" class="kit-danger">
          Seal now
        </button>
      </form>
    ) : s.sealed && s.initialized ? (
      <a class="kit-button" href="/unseal">
        Unseal
      </a>
    ) : undefined;
  const body = (
    <Section id="status" title="Barrier" card>
      <Facts items={statusFacts(s, ctx.version)} />
      {!s.initialized && (
        <p>
          Initialise it once with <code>metacryptctl init</code> (an MCIAS admin).
        </p>
      )}
    </Section>
  );
  return frame(ctx, "Status", body, { actions, ...(flash ? { flash } : {}) });
}

export function unsealPage(csrf: string, s: SealStatus, flash?: Flash[]) {
  const shamir = s.mode === "shamir";
  const body = s.sealed ? (
    <form method="post" action="/unseal" class="kit-form" id="unseal">
      <CsrfField token={csrf} />
      {shamir ? (
        <Field
          name="share"
          label="Unseal share"
          type="password"
          autocomplete="off"
          hint={`${s.progress ?? 0} of ${s.threshold} shares received; each keeper enters theirs.`}
          required
        />
      ) : (
        <Field
          name="password"
          label="Unseal password"
          type="password"
          autocomplete="current-password"
          required
        />
      )}
      <div class="kit-actions">
        <button type="submit">Unseal</button>
      </div>
    </form>
  ) : (
    <p id="unsealed">
      Metacrypt is unsealed. <a href="/">Go to the status page</a>.
    </p>
  );
  return plainFrame(s.sealed ? "Unseal Metacrypt" : "Unsealed", body, flash);
}

export function mountsPage(ctx: PageContext, mounts: MountInfo[]) {
  const link: Record<string, string> = { ca: "/certs", transit: "/transit", "ssh-ca": "/ssh" };
  const cols: Column<MountInfo>[] = [
    { label: "Mount", cell: (m) => m.name, kind: "break" },
    { label: "Engine", cell: (m) => m.type },
    { label: "Created", cell: (m) => <Time at={m.created_at} />, kind: "nowrap" },
    {
      label: "Open",
      cell: (m) => (link[m.type] ? <a href={`${link[m.type]}?mount=${m.name}`}>{m.name}</a> : "—"),
    },
  ];
  const empty = (
    <EmptyState id="no-mounts" title="No mounts yet">
      An admin creates one with <code>metacryptctl mount create pki ca</code>.
    </EmptyState>
  );
  return frame(ctx, "Mounts", <DataTable id="mounts" rows={mounts} columns={cols} empty={empty} />);
}

const AUDIT_COLS: Column<AuditRow>[] = [
  { label: "#", cell: (e) => String(e.seq), kind: "num" },
  { label: "Time", cell: (e) => <Time at={e.ts} />, kind: "nowrap" },
  { label: "Actor", cell: (e) => e.actor, kind: "break" },
  { label: "Action", cell: (e) => e.action },
  { label: "Mount", cell: (e) => e.mount ?? "" },
  { label: "Target", cell: (e) => e.target ?? "", kind: "break" },
  {
    label: "Decision",
    cell: (e) => (
      <Badge tone={e.decision === "allow" ? "ok" : e.decision === "deny" ? "bad" : "neutral"}>
        {e.decision}
      </Badge>
    ),
  },
  { label: "Rule", cell: (e) => e.rule ?? "" },
  { label: "Detail", cell: (e) => <JsonDetail value={e.detail} />, kind: "wide" },
];

export function auditPage(
  ctx: PageContext,
  rows: AuditRow[],
  paging: { page: number; prev?: string | undefined; next?: string | undefined },
) {
  const body = (
    <>
      <DataTable
        id="audit"
        rows={rows}
        columns={AUDIT_COLS}
        empty={<EmptyState id="no-audit" title="No audit rows" />}
      />
      <Pager label="Audit pages" page={paging.page} prev={paging.prev} next={paging.next} />
    </>
  );
  return frame(ctx, "Audit log", body);
}
