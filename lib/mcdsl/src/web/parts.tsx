// Small building blocks of the kit's pages: flash messages, empty states, badges, fact lists,
// times and the pager. Each renders plain semantic HTML styled by kit.css.
import type { Child } from "hono/jsx";

export type FlashKind = "ok" | "info" | "warn" | "error";

export interface Flash {
  kind: FlashKind;
  text: Child;
  /** A stable id for tests and links (e.g. "notice", "error"). */
  id?: string | undefined;
}

/** A message after an action: role=status (polite) for news, role=alert for failures. */
export function FlashMessage(p: Flash) {
  return (
    <p
      class={`kit-flash kit-flash-${p.kind}`}
      role={p.kind === "error" || p.kind === "warn" ? "alert" : "status"}
      id={p.id}
    >
      {p.text}
    </p>
  );
}

/** What an empty list shows instead of bare headers: a sentence and the next action. */
export function EmptyState(p: { title: string; children?: Child; action?: Child; id?: string }) {
  return (
    <div class="kit-empty" id={p.id}>
      <p class="kit-empty-title">{p.title}</p>
      {p.children && <p>{p.children}</p>}
      {p.action && <div class="kit-actions">{p.action}</div>}
    </div>
  );
}

export type BadgeTone = "neutral" | "ok" | "bad" | "warn";

export function Badge(p: { tone?: BadgeTone; children?: Child }) {
  const tone = p.tone ?? "neutral";
  return (
    <span class={tone === "neutral" ? "kit-badge" : `kit-badge kit-badge-${tone}`}>
      {p.children}
    </span>
  );
}

export interface Fact {
  label: string;
  value: Child;
  /** An id on the value (dd), for tests and live updates. */
  id?: string | undefined;
}

/** One record's properties as a two-column definition list (one column on a phone). */
export function Facts(p: { items: readonly Fact[]; id?: string }) {
  return (
    <dl class="kit-facts" id={p.id}>
      {p.items.map((f) => (
        <>
          <dt>{f.label}</dt>
          <dd id={f.id}>{f.value}</dd>
        </>
      ))}
    </dl>
  );
}

/** A titled section; the heading labels the region. */
export function Section(p: { id: string; title: string; card?: boolean; children?: Child }) {
  return (
    <section
      class={p.card ? "kit-section kit-card" : "kit-section"}
      id={p.id}
      aria-labelledby={`${p.id}-h`}
    >
      <h2 id={`${p.id}-h`}>{p.title}</h2>
      {p.children}
    </section>
  );
}

function toDate(at: Date | number | string): Date {
  return at instanceof Date ? at : new Date(at);
}

/** "2026-12-06 17:32:29 UTC": the server-rendered text and the hover title of every time. */
export function formatUtc(at: Date | number | string): string {
  const d = toDate(at);
  if (Number.isNaN(d.getTime())) return String(at);
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * A point in time: UTC text from the server, rewritten by kit.js into the viewer's own zone;
 * the UTC value stays in the title, shown on hover.
 */
export function Time(p: { at: Date | number | string; id?: string }) {
  const d = toDate(p.at);
  if (Number.isNaN(d.getTime())) return <span>{String(p.at)}</span>;
  const utc = formatUtc(d);
  return (
    <time class="kit-time" datetime={d.toISOString()} title={utc} id={p.id}>
      {utc}
    </time>
  );
}

/** Previous/next links under a paged table. */
export function Pager(p: {
  label?: string;
  prev?: string | undefined;
  next?: string | undefined;
  page?: number;
}) {
  return (
    <nav aria-label={p.label ?? "Pages"} class="kit-pager">
      {p.prev && (
        <a href={p.prev} rel="prev">
          ← Newer
        </a>
      )}
      {p.page !== undefined && <span class="kit-muted">Page {p.page}</span>}
      {p.next && (
        <a href={p.next} rel="next">
          Older →
        </a>
      )}
    </nav>
  );
}
