// /v2/<name>/manifests/<reference>: GET and HEAD (with Accept negotiation), PUT, DELETE.
import type { RegistryClaims } from "../auth/registry-token.ts";
import { manifestUnknown } from "../oci/errors.ts";
import { deleteManifest, getManifest, putManifest } from "../registry/manifests.ts";
import { readLimited } from "./body.ts";
import type { V2Deps } from "./deps.ts";
import { type Exchange, send } from "./respond.ts";

type ManifestRoute = { name: string; reference: string };

/** Media types the client accepts; empty means anything. Quality values are not ranked. */
export function acceptedTypes(header: string | string[] | undefined): string[] {
  const all = Array.isArray(header) ? header.join(",") : (header ?? "");
  return all
    .split(",")
    .map((t) => t.split(";")[0]!.trim().toLowerCase())
    .filter((t) => t !== "");
}

function acceptable(accepted: string[], mediaType: string): boolean {
  return (
    accepted.length === 0 ||
    accepted.includes("*/*") ||
    accepted.includes("application/*") ||
    accepted.includes(mediaType)
  );
}

export async function manifestHandler(
  d: V2Deps,
  x: Exchange,
  r: ManifestRoute,
  claims: RegistryClaims,
): Promise<void> {
  const who = claims.principal;
  const method = x.req.method;
  if (method === "GET" || method === "HEAD") {
    const row = getManifest(d.ctx, r.name, r.reference, true);
    if (!acceptable(acceptedTypes(x.req.headers.accept), row.media_type))
      throw manifestUnknown(r.reference);
    if (method === "GET")
      d.ctx.audit.record(who, "pull", r.name, r.reference, { digest: row.digest });
    send(
      x,
      200,
      {
        "Content-Type": row.media_type,
        "Docker-Content-Digest": row.digest,
        "Content-Length": row.size,
        ETag: `"${row.digest}"`,
      },
      row.content,
    );
    return;
  }
  if (method === "PUT") {
    const body = await readLimited(x.req, d.maxManifestBytes, "manifest");
    const out = putManifest(d.ctx, who, r.name, r.reference, body, x.req.headers["content-type"]);
    const headers: Record<string, string> = {
      Location: `/v2/${r.name}/manifests/${out.digest}`,
      "Docker-Content-Digest": out.digest,
    };
    if (out.subject) headers["OCI-Subject"] = out.subject;
    send(x, 201, headers);
    return;
  }
  deleteManifest(d.ctx, who, r.name, r.reference);
  send(x, 202);
}
