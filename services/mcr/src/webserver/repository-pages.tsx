// The browsing pages: the repositories the user may pull, one repository (tags and manifests,
// with delete buttons where the policy allows deleting), and one manifest (config and layers
// with sizes, an index's children with their platforms, referrers).
import {
  Badge,
  type Column,
  CsrfField,
  DataTable,
  EmptyState,
  Facts,
  Section,
  Time,
} from "@metacircular/mcdsl/web";
import type { ManifestDetail, ManifestSummary } from "../registry/manifest-views.ts";
import type { RepositoryView, TagView } from "../registry/repositories.ts";
import { DigestLink, frame, type PageContext, repoHref, Size } from "./frame.tsx";

export function repositoriesPage(ctx: PageContext, repos: RepositoryView[]) {
  const body = (
    <DataTable
      id="repositories"
      rows={repos}
      columns={[
        {
          label: "Repository",
          kind: "break",
          cell: (r) => <a href={repoHref(r.name)}>{r.name}</a>,
        },
        { label: "Tags", kind: "num", cell: (r) => r.tags },
        { label: "Manifests", kind: "num", cell: (r) => r.manifests },
        { label: "Created", kind: "nowrap", cell: (r) => <Time at={r.created_at} /> },
      ]}
      empty={
        <EmptyState id="empty" title="No repositories you may pull">
          Push an image with <code>skopeo copy</code> or <code>podman push</code>, or ask an admin
          for a pull rule.
        </EmptyState>
      }
    />
  );
  return frame(ctx, "Repositories", body);
}

function DeleteButton(p: {
  csrf: string;
  action: string;
  fields: Record<string, string>;
  label: string;
}) {
  return (
    <form method="post" action={p.action} class="kit-inline">
      <CsrfField token={p.csrf} />
      {Object.entries(p.fields).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button type="submit" class="kit-danger" aria-label={p.label}>
        Delete
      </button>
    </form>
  );
}

/** An "Action" column with a Delete button posting `fields(row)` to `action`. */
function deleteColumn<T>(
  ctx: PageContext,
  action: string,
  fields: (row: T) => Record<string, string>,
  what: (row: T) => string,
): Column<T> {
  return {
    label: "Action",
    kind: "nowrap",
    cell: (row) => (
      <DeleteButton
        csrf={ctx.csrf}
        action={action}
        fields={fields(row)}
        label={`Delete ${what(row)}`}
      />
    ),
  };
}

const kindBadge = (m: { kind: string; artifact_type: string | null }) => (
  <Badge tone={m.kind === "index" ? "warn" : "neutral"}>{m.kind}</Badge>
);

export interface RepositoryPage {
  name: string;
  tags: TagView[];
  manifests: ManifestSummary[];
  mayDelete: boolean;
}

export function repositoryPage(ctx: PageContext, r: RepositoryPage) {
  const tagColumns: Column<TagView>[] = [
    { label: "Tag", kind: "break", cell: (t: TagView) => <code>{t.tag}</code> },
    {
      label: "Digest",
      kind: "break",
      cell: (t: TagView) => <DigestLink repo={r.name} digest={t.digest} />,
    },
    { label: "Manifest size", kind: "num", cell: (t: TagView) => <Size bytes={t.size} /> },
    { label: "Updated", kind: "nowrap", cell: (t: TagView) => <Time at={t.updated_at} /> },
  ];
  if (r.mayDelete)
    tagColumns.push(
      deleteColumn(
        ctx,
        "/repository/delete-tag",
        (t) => ({ name: r.name, tag: t.tag }),
        (t) => `tag ${t.tag}`,
      ),
    );
  const manifestColumns: Column<ManifestSummary>[] = [
    {
      label: "Digest",
      kind: "break",
      cell: (m: ManifestSummary) => <DigestLink repo={r.name} digest={m.digest} />,
    },
    { label: "Kind", kind: "nowrap", cell: kindBadge },
    { label: "Tags", kind: "break", cell: (m: ManifestSummary) => m.tags.join(", ") },
    {
      label: "Pushed",
      kind: "nowrap",
      cell: (m: ManifestSummary) => <Time at={m.created_at} />,
    },
  ];
  if (r.mayDelete)
    manifestColumns.push(
      deleteColumn(
        ctx,
        "/repository/delete-manifest",
        (m) => ({ name: r.name, digest: m.digest }),
        (m) => `manifest ${m.digest}`,
      ),
    );
  const body = (
    <>
      <Section id="tags" title="Tags">
        <DataTable
          id="tag-table"
          rows={r.tags}
          columns={tagColumns}
          empty={<EmptyState title="No tags" />}
        />
      </Section>
      <Section id="manifests" title="Manifests">
        <DataTable
          id="manifest-table"
          rows={r.manifests}
          columns={manifestColumns}
          empty={<EmptyState title="No manifests" />}
        />
      </Section>
    </>
  );
  return frame(ctx, r.name, body);
}

function layerTable(id: string, repo: string, m: ManifestDetail) {
  const rows = [
    ...(m.config ? [{ ...m.config, role: "config" }] : []),
    ...m.layers.map((l, i) => ({ ...l, role: `layer ${i + 1}` })),
  ];
  return (
    <DataTable
      id={id}
      rows={rows}
      columns={[
        { label: "Blob", kind: "nowrap", cell: (l) => l.role },
        { label: "Digest", kind: "break", cell: (l) => <code title={l.digest}>{l.digest}</code> },
        { label: "Media type", kind: "break", cell: (l) => l.media_type },
        { label: "Size", kind: "num", cell: (l) => <Size bytes={l.size} /> },
      ]}
      empty={<EmptyState title={`No layers in ${repo}`} />}
    />
  );
}

export function manifestPage(ctx: PageContext, repo: string, m: ManifestDetail) {
  const facts = [
    { label: "Repository", value: <a href={repoHref(repo)}>{repo}</a> },
    { label: "Digest", value: <code>{m.digest}</code>, id: "digest" },
    { label: "Media type", value: m.media_type },
    { label: "Kind", value: kindBadge(m) },
    { label: "Tags", value: m.tags.join(", ") || "—", id: "tags" },
    { label: "Manifest size", value: <Size bytes={m.size} /> },
    ...(m.kind === "image"
      ? [{ label: "Image size", value: <Size bytes={m.total_size} />, id: "image-size" }]
      : []),
    ...(m.artifact_type ? [{ label: "Artifact type", value: m.artifact_type }] : []),
    ...(m.subject
      ? [{ label: "Subject", value: <DigestLink repo={repo} digest={m.subject} /> }]
      : []),
    { label: "Pushed", value: <Time at={m.created_at} /> },
  ];
  const body = (
    <>
      <Facts id="facts" items={facts} />
      {m.kind === "image" ? (
        <Section id="layers" title="Config and layers">
          {layerTable("layer-table", repo, m)}
        </Section>
      ) : (
        <Section id="children" title="Manifests">
          <DataTable
            id="child-table"
            rows={m.manifests}
            columns={[
              { label: "Platform", kind: "nowrap", cell: (c) => c.platform || "—" },
              {
                label: "Digest",
                kind: "break",
                cell: (c) => <DigestLink repo={repo} digest={c.digest} />,
              },
              { label: "Media type", kind: "break", cell: (c) => c.media_type },
              { label: "Size", kind: "num", cell: (c) => <Size bytes={c.size} /> },
            ]}
            empty={<EmptyState title="An empty index" />}
          />
        </Section>
      )}
      <Section id="referrers" title="Referrers">
        <DataTable
          id="referrer-table"
          rows={m.referrers}
          columns={[
            {
              label: "Digest",
              kind: "break",
              cell: (x) => <DigestLink repo={repo} digest={x.digest} />,
            },
            { label: "Artifact type", kind: "break", cell: (x) => x.artifact_type ?? "—" },
            { label: "Size", kind: "num", cell: (x) => <Size bytes={x.size} /> },
            { label: "Pushed", kind: "nowrap", cell: (x) => <Time at={x.created_at} /> },
          ]}
          empty={
            <EmptyState id="no-referrers" title="No referrers (signatures, SBOMs, attestations)" />
          }
        />
      </Section>
    </>
  );
  return frame(ctx, `${repo} @ ${m.tags[0] ?? m.digest.slice(0, 19)}`, body);
}
