// What a person browsing the registry sees of a repository's manifests: the list (image or
// index, size, tags, age) and one manifest in detail (config and layers with their sizes, the
// child manifests of an index with their platforms, the referrers, the tags).
import { nameUnknown } from "../oci/errors.ts";
import { type Descriptor, parseManifest } from "../oci/manifest.ts";
import { checkRepositoryName } from "../oci/names.ts";
import type { RegistryContext } from "./context.ts";
import { getManifest } from "./manifests.ts";

export interface ManifestSummary {
  digest: string;
  media_type: string;
  kind: "image" | "index";
  artifact_type: string | null;
  subject: string | null;
  size: number;
  tags: string[];
  created_at: string;
}

export interface LayerView {
  media_type: string;
  digest: string;
  size: number;
}

export interface ChildView extends LayerView {
  platform: string;
}

export interface ManifestDetail extends ManifestSummary {
  config: LayerView | null;
  layers: LayerView[];
  /** Sum of the config and layer sizes (an image); 0 for an index. */
  total_size: number;
  manifests: ChildView[];
  referrers: ManifestSummary[];
}

interface Row {
  digest: string;
  media_type: string;
  artifact_type: string | null;
  subject: string | null;
  size: number;
  created_at: number;
  tags: string | null;
}

const isIndex = (mediaType: string) => /index|manifest\.list/.test(mediaType);

function summary(r: Row): ManifestSummary {
  return {
    digest: r.digest,
    media_type: r.media_type,
    kind: isIndex(r.media_type) ? "index" : "image",
    artifact_type: r.artifact_type,
    subject: r.subject,
    size: r.size,
    tags: r.tags ? r.tags.split("\n").sort() : [],
    created_at: new Date(r.created_at).toISOString(),
  };
}

const SUMMARY_SQL = `SELECT m.digest, m.media_type, m.artifact_type, m.subject, m.size, m.created_at,
  (SELECT group_concat(t.name, char(10)) FROM tags t WHERE t.repo_id = m.repo_id AND t.digest = m.digest) AS tags
  FROM manifests m WHERE m.repo_id = ?`;

function repoIdOf(ctx: RegistryContext, repo: string): number {
  checkRepositoryName(repo);
  const id = ctx.q.repoId(repo);
  if (id === undefined) throw nameUnknown(repo);
  return id;
}

/** Every manifest of the repository, newest first. */
export function listManifests(ctx: RegistryContext, repo: string): ManifestSummary[] {
  const rows = ctx.q.db
    .prepare(`${SUMMARY_SQL} ORDER BY m.created_at DESC, m.id DESC`)
    .all(repoIdOf(ctx, repo)) as Row[];
  return rows.map(summary);
}

const layer = (d: Descriptor): LayerView => ({
  media_type: d.mediaType,
  digest: d.digest,
  size: d.size,
});

function platformOf(d: Descriptor & { platform?: unknown }): string {
  const p = d.platform as { os?: unknown; architecture?: unknown; variant?: unknown } | undefined;
  if (!p || typeof p !== "object") return "";
  return [p.os, p.architecture, p.variant].filter((x) => typeof x === "string").join("/");
}

/** Platforms of an index's children, read from the stored bytes (the parser keeps descriptors). */
function childPlatforms(content: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const body = JSON.parse(content.toString("utf8")) as { manifests?: unknown };
  if (!Array.isArray(body.manifests)) return out;
  for (const m of body.manifests as Array<Descriptor & { platform?: unknown }>)
    if (typeof m?.digest === "string") out.set(m.digest, platformOf(m));
  return out;
}

/** One manifest (by tag or digest) with its layers, children and referrers. */
export function manifestDetail(
  ctx: RegistryContext,
  repo: string,
  reference: string,
): ManifestDetail {
  const repoId = repoIdOf(ctx, repo);
  const row = getManifest(ctx, repo, reference);
  const parsed = parseManifest(row.content, row.media_type);
  const base = summary(
    ctx.q.db.prepare(`${SUMMARY_SQL} AND m.digest = ?`).get(repoId, row.digest) as Row,
  );
  const layers = parsed.layers.map(layer);
  const config = parsed.config ? layer(parsed.config) : null;
  const platforms = parsed.kind === "index" ? childPlatforms(row.content) : new Map();
  const referrers = (
    ctx.q.db
      .prepare(`${SUMMARY_SQL} AND m.subject = ? ORDER BY m.id`)
      .all(repoId, row.digest) as Row[]
  ).map(summary);
  return {
    ...base,
    config,
    layers,
    total_size: (config?.size ?? 0) + layers.reduce((n, l) => n + l.size, 0),
    manifests: parsed.manifests.map((d) => ({
      ...layer(d),
      platform: platforms.get(d.digest) ?? "",
    })),
    referrers,
  };
}
