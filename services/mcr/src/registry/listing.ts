// Read-only listings: tags of a repository and the catalog (both with n/last pagination) and
// the referrers of a subject digest (with artifactType filtering).
import { parseDigest } from "../oci/digest.ts";
import { nameUnknown, OciError } from "../oci/errors.ts";
import type { Descriptor } from "../oci/manifest.ts";
import { checkRepositoryName } from "../oci/names.ts";
import type { RegistryContext } from "./context.ts";

export interface Page<T> {
  items: T[];
  /** The `last` value of the next page, when there is one. */
  next?: string;
}

export const MAX_PAGE = 1000;

/** The `n` query parameter: a non-negative integer, capped; absent = the cap. */
export function pageSize(n: string | null): number {
  if (n === null || n === "") return MAX_PAGE;
  if (!/^\d{1,9}$/.test(n))
    throw new OciError(400, "UNSUPPORTED", "n must be a non-negative integer", { detail: { n } });
  return Math.min(Number(n), MAX_PAGE);
}

function paginate(sorted: string[], n: number): Page<string> {
  if (sorted.length <= n) return { items: sorted };
  const items = sorted.slice(0, n);
  return n > 0 ? { items, next: items[items.length - 1]! } : { items };
}

export function listTags(
  ctx: RegistryContext,
  repo: string,
  n: number,
  last: string | null,
): Page<string> {
  checkRepositoryName(repo);
  const repoId = ctx.q.repoId(repo);
  if (repoId === undefined) throw nameUnknown(repo);
  return paginate(ctx.q.tags(repoId, last ?? "", n + 1), n);
}

/** Repository names the caller may pull, after `last`, in lexical order. */
export function listCatalog(
  ctx: RegistryContext,
  mayPull: (repo: string) => boolean,
  n: number,
  last: string | null,
): Page<string> {
  const names = ctx.q.repoNames().filter((r) => (last === null || r > last) && mayPull(r));
  return paginate(names, n);
}

export interface ReferrersIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

export function listReferrers(
  ctx: RegistryContext,
  repo: string,
  subjectText: string,
  artifactType: string | null,
): ReferrersIndex {
  checkRepositoryName(repo);
  const subject = parseDigest(subjectText);
  const repoId = ctx.q.repoId(repo);
  const rows = repoId === undefined ? [] : ctx.q.referrers(repoId, subject.text);
  const manifests: Descriptor[] = [];
  for (const r of rows) {
    if (artifactType && r.artifact_type !== artifactType) continue;
    const d: Descriptor = { mediaType: r.media_type, digest: r.digest, size: r.size };
    if (r.artifact_type) d.artifactType = r.artifact_type;
    if (r.annotations) d.annotations = JSON.parse(r.annotations) as Record<string, string>;
    manifests.push(d);
  }
  return { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests };
}
