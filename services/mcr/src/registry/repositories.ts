// Repository views for the admin API, the CLI and (later) the web UI.
import { nameUnknown } from "../oci/errors.ts";
import { checkRepositoryName } from "../oci/names.ts";
import type { RegistryContext } from "./context.ts";

export interface RepositoryView {
  name: string;
  tags: number;
  manifests: number;
  created_at: string;
}

export interface TagView {
  tag: string;
  digest: string;
  media_type: string;
  size: number;
  updated_at: string;
}

export function listRepositories(
  ctx: RegistryContext,
  mayPull: (repo: string) => boolean,
): RepositoryView[] {
  const rows = ctx.q.db
    .prepare(
      `SELECT r.name, r.created_at,
              (SELECT COUNT(*) FROM tags t WHERE t.repo_id = r.id) AS tags,
              (SELECT COUNT(*) FROM manifests m WHERE m.repo_id = r.id) AS manifests
       FROM repositories r ORDER BY r.name`,
    )
    .all() as Array<{ name: string; created_at: number; tags: number; manifests: number }>;
  return rows
    .filter((r) => mayPull(r.name))
    .map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() }));
}

export function listTagViews(ctx: RegistryContext, repo: string): TagView[] {
  checkRepositoryName(repo);
  const repoId = ctx.q.repoId(repo);
  if (repoId === undefined) throw nameUnknown(repo);
  const rows = ctx.q.db
    .prepare(
      `SELECT t.name AS tag, t.digest, m.media_type, m.size, t.updated_at
       FROM tags t JOIN manifests m ON m.repo_id = t.repo_id AND m.digest = t.digest
       WHERE t.repo_id = ? ORDER BY t.name`,
    )
    .all(repoId) as Array<Omit<TagView, "updated_at"> & { updated_at: number }>;
  return rows.map((r) => ({ ...r, updated_at: new Date(r.updated_at).toISOString() }));
}
