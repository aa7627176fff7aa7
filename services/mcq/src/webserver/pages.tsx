// The two pages of the reading queue: the queue (unread first, filters, full-text search) and
// the reader (changes since last read, table of contents, the document rendered at push time).
import { CsrfField, DataTable, EmptyState, Field, renderPage, Time } from "@metacircular/mcdsl/web";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { Changes } from "../documents/documents.ts";
import type { DocumentDetail, DocumentSummary } from "../documents/views.ts";
import type { ReaderPart } from "./parts.ts";

export interface PageContext {
  username: string;
  csrf: string;
  path: string;
  /** The hashed URL of MCQ's stylesheet. */
  stylesheet: string;
}

export interface QueueFilter {
  q?: string | undefined;
  pushedBy?: string | undefined;
  tag?: string | undefined;
  unread?: boolean | undefined;
}

function SignOut(p: { csrf: string; username: string }) {
  return (
    <form method="post" action="/logout" class="mcq-signout">
      <CsrfField token={p.csrf} />
      <span class="mcq-user">{p.username}</span> <button type="submit">Sign out</button>
    </form>
  );
}

/** The kit's page frame: the kit's prose stylesheet, then MCQ's reading theme. */
function frame(ctx: PageContext, title: string, body: Child, actions?: Child) {
  return renderPage({
    app: "MCQ",
    title,
    nav: [{ href: "/", label: "Queue" }],
    current: ctx.path,
    navExtra: <SignOut csrf={ctx.csrf} username={ctx.username} />,
    actions,
    color: "#3d6b4f",
    prose: true,
    styles: [ctx.stylesheet],
    children: body,
  });
}

function FilterForm(p: { f: QueueFilter }) {
  return (
    <form method="get" action="/" class="mcq-filter" aria-label="Filter the queue">
      <Field name="q" label="Search" type="search" value={p.f.q} />
      <Field name="pushed_by" label="Pushed by" value={p.f.pushedBy} />
      <Field name="tag" label="Tag" value={p.f.tag} />
      <label class="mcq-check">
        <input type="checkbox" name="unread" value="1" checked={p.f.unread === true} /> Unread only
      </label>
      <button type="submit">Filter</button>
    </form>
  );
}

export function queuePage(ctx: PageContext, docs: DocumentSummary[], f: QueueFilter) {
  const body = (
    <>
      <FilterForm f={f} />
      <DataTable
        id="queue"
        rows={docs}
        columns={[
          {
            label: "Document",
            kind: "break",
            cell: (d) => (
              <>
                <a href={`/d/${d.slug}`} class={d.read ? "mcq-read" : "mcq-unread"}>
                  {d.title}
                </a>
                {d.snippet ? <p class="mcq-snippet">{d.snippet}</p> : null}
              </>
            ),
          },
          { label: "Status", cell: (d) => (d.read ? "read" : <strong>unread</strong>) },
          { label: "Pushed by", cell: (d) => d.pushed_by },
          { label: "Tags", cell: (d) => d.tags.join(", ") },
          { label: "Updated", kind: "nowrap", cell: (d) => <Time at={d.updated_at} /> },
        ]}
        empty={
          <EmptyState id="empty" title="Nothing in the queue">
            Push a document with <code>mcq push notes.md</code> or the MCP push_document tool.
          </EmptyState>
        }
      />
    </>
  );
  return frame(ctx, "Reading queue", body);
}

function ChangesSection(p: { changes: Changes }) {
  if (p.changes.kind !== "diff") return null;
  const c = p.changes;
  return (
    <details class="mcq-changes" id="changes" open>
      <summary>
        Changed since you last read it (version {c.from_version} → {c.to_version}: {c.added} added,{" "}
        {c.removed} removed)
      </summary>
      <div class="md-body">{raw(c.html)}</div>
    </details>
  );
}

/** Links to the previous and next part of a document read in parts (plain links, no script). */
function PartNav(p: { slug: string; part: ReaderPart }) {
  const { index, count } = p.part;
  if (count < 2) return null;
  const href = (i: number) => `/d/${p.slug}?part=${i + 1}`;
  return (
    <nav class="mcq-parts" aria-label="Parts">
      {index > 0 ? <a href={href(index - 1)}>← Part {index}</a> : null}{" "}
      <span>
        Part {index + 1} of {count}
      </span>{" "}
      {index + 1 < count ? <a href={href(index + 1)}>Part {index + 2} →</a> : null}
    </nav>
  );
}

function Contents(p: { doc: DocumentDetail; part: ReaderPart }) {
  const entries = p.doc.toc.filter((e) => e.level >= 2 && e.level <= 3);
  if (entries.length < 2) return null;
  return (
    <nav class="mcq-toc" aria-label="Contents" id="toc">
      <p class="mcq-toc-title">Contents</p>
      <ol>
        {entries.map((e) => (
          <li class={`mcq-toc-${e.level}`}>
            <a href={tocHref(p.doc.slug, p.part, e.id)}>{e.text}</a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function tocHref(slug: string, part: ReaderPart, id: string): string {
  const at = part.partOfId.get(id) ?? part.index;
  return at === part.index ? `#${id}` : `/d/${slug}?part=${at + 1}#${id}`;
}

export function readerPage(
  ctx: PageContext,
  doc: DocumentDetail,
  changes: Changes,
  part: ReaderPart,
) {
  const action = doc.read ? "unread" : "read";
  const actions = (
    <form method="post" action={`/d/${doc.slug}/${action}`} id="mark">
      <CsrfField token={ctx.csrf} />
      <button type="submit">{doc.read ? "Mark unread" : "Mark read"}</button>
    </form>
  );
  const body = (
    <div class="mcq-reader">
      <p class="mcq-meta" id="meta">
        {doc.read ? "Read" : "Unread"} · version {doc.version} · pushed by {doc.pushed_by} ·{" "}
        <Time at={doc.updated_at} />
      </p>
      {part.index === 0 ? <ChangesSection changes={changes} /> : null}
      <Contents doc={doc} part={part} />
      <PartNav slug={doc.slug} part={part} />
      <article class="md-body" id="document">
        {raw(part.html)}
      </article>
      <PartNav slug={doc.slug} part={part} />
    </div>
  );
  return frame(ctx, doc.title, body, actions);
}
