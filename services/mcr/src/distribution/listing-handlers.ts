// /v2/<name>/tags/list, /v2/_catalog and /v2/<name>/referrers/<digest>.
import type { RegistryClaims } from "../auth/registry-token.ts";
import { listCatalog, listReferrers, listTags, type Page, pageSize } from "../registry/listing.ts";
import type { V2Deps } from "./deps.ts";
import { type Exchange, sendJson } from "./respond.ts";

function linkHeader(path: string, n: number, page: Page<string>): Record<string, string> {
  if (page.next === undefined) return {};
  return { Link: `<${path}?n=${n}&last=${encodeURIComponent(page.next)}>; rel="next"` };
}

export function tagsHandler(d: V2Deps, x: Exchange, r: { name: string }): void {
  const n = pageSize(x.url.searchParams.get("n"));
  const page = listTags(d.ctx, r.name, n, x.url.searchParams.get("last"));
  sendJson(
    x,
    200,
    { name: r.name, tags: page.items },
    linkHeader(`/v2/${r.name}/tags/list`, n, page),
  );
}

export function catalogHandler(d: V2Deps, x: Exchange, claims: RegistryClaims): void {
  const n = pageSize(x.url.searchParams.get("n"));
  const page = listCatalog(
    d.ctx,
    (repo) => d.policy.allows(claims.principal, repo, "pull"),
    n,
    x.url.searchParams.get("last"),
  );
  sendJson(x, 200, { repositories: page.items }, linkHeader("/v2/_catalog", n, page));
}

export function referrersHandler(d: V2Deps, x: Exchange, r: { name: string; digest: string }) {
  const artifactType = x.url.searchParams.get("artifactType");
  const index = listReferrers(d.ctx, r.name, r.digest, artifactType);
  sendJson(x, 200, index, {
    "Content-Type": "application/vnd.oci.image.index.v1+json",
    ...(artifactType ? { "OCI-Filters-Applied": "artifactType" } : {}),
  });
}
