// /v2/<name>/blobs/<digest> (GET with ranges, HEAD, DELETE) and the upload endpoints
// /v2/<name>/blobs/uploads/[<id>] (POST incl. monolithic and mount, PATCH, PUT, GET, DELETE).
import type { RegistryClaims } from "../auth/registry-token.ts";
import { grantsRepository } from "../auth/registry-token.ts";
import { parseDigest } from "../oci/digest.ts";
import { OciError } from "../oci/errors.ts";
import { isRepositoryName } from "../oci/names.ts";
import { deleteBlob, mountBlob, statBlob } from "../registry/blobs.ts";
import {
  appendChunk,
  cancelUpload,
  finishUpload,
  rangeHeader,
  startUpload,
  type UploadState,
  uploadStatus,
} from "../registry/uploads.ts";
import { openSource } from "./blob-send.ts";
import { contentLength, hasBody } from "./body.ts";
import type { V2Deps } from "./deps.ts";
import { parseContentRange, parseRange } from "./range.ts";
import { type Exchange, send } from "./respond.ts";

export async function blobHandler(
  d: V2Deps,
  x: Exchange,
  r: { name: string; digest: string },
  claims: RegistryClaims,
): Promise<void> {
  if (x.req.method === "DELETE") {
    deleteBlob(d.ctx, claims.principal, r.name, r.digest);
    send(x, 202);
    return;
  }
  const info = statBlob(d.ctx, r.name, r.digest);
  const base = {
    "Docker-Content-Digest": info.digest.text,
    "Content-Type": "application/octet-stream",
    "Accept-Ranges": "bytes",
  };
  const range = parseRange(x.req.headers.range, info.size);
  if (range.kind === "unsatisfiable")
    throw new OciError(416, "RANGE_INVALID", "requested range not satisfiable", {
      headers: { "Content-Range": `bytes */${info.size}` },
    });
  if (x.req.method === "HEAD" || info.size === 0) {
    send(x, 200, { ...base, "Content-Length": info.size });
    return;
  }
  const partial = range.kind === "partial" ? range : undefined;
  const span = partial
    ? { start: partial.start, length: partial.end - partial.start + 1 }
    : { start: 0, length: info.size };
  const source = await openSource(d.ctx.store, d.blobReads, info.digest, span).catch(() => {
    throw new OciError(404, "BLOB_UNKNOWN", "blob unknown to registry");
  });
  x.res.writeHead(partial ? 206 : 200, {
    "Docker-Distribution-API-Version": "registry/2.0",
    ...base,
    "Content-Length": span.length,
    ...(partial ? { "Content-Range": `bytes ${partial.start}-${partial.end}/${info.size}` } : {}),
  });
  d.metrics.bytesServed.inc(span.length);
  await source.send(x.res);
}

const uploadLocation = (s: UploadState) => `/v2/${s.repo}/blobs/uploads/${s.id}`;

function progress(x: Exchange, status: number, s: UploadState): void {
  send(x, status, {
    Location: uploadLocation(s),
    Range: rangeHeader(s.size),
    "Docker-Upload-UUID": s.id,
  });
}

function created(x: Exchange, name: string, digest: string): void {
  send(x, 201, { Location: `/v2/${name}/blobs/${digest}`, "Docker-Content-Digest": digest });
}

async function append(d: V2Deps, x: Exchange, s: UploadState): Promise<UploadState> {
  const cr = parseContentRange(x.req.headers["content-range"]);
  if (cr === null)
    throw new OciError(416, "RANGE_INVALID", "malformed Content-Range", {
      headers: { Location: uploadLocation(s), Range: rangeHeader(s.size) },
    });
  const length = contentLength(x.req);
  const next = await appendChunk(
    d.ctx,
    s,
    x.req,
    { ...(cr ?? {}), ...(length !== undefined ? { length } : {}) },
    uploadLocation(s),
  );
  d.metrics.bytesReceived.inc(next.size - s.size);
  return next;
}

export async function uploadsPost(
  d: V2Deps,
  x: Exchange,
  r: { name: string },
  claims: RegistryClaims,
): Promise<void> {
  const q = x.url.searchParams;
  const mount = q.get("mount");
  const from = q.get("from");
  if (mount && from && isRepositoryName(from) && grantsRepository(claims, from, "pull")) {
    if (mountBlob(d.ctx, claims.principal, r.name, mount, from)) {
      created(x, r.name, mount);
      return;
    }
  }
  const digest = q.get("digest");
  if (digest !== null && !mount) {
    await monolithic(d, x, r.name, digest);
    return;
  }
  progress(x, 202, startUpload(d.ctx, r.name));
}

/**
 * POST ?digest= with the whole blob. The digest is checked before a byte is stored, and a
 * failure discards the session: its client never learnt where it was, so nobody could resume
 * it and only the upload TTL would free the space.
 */
async function monolithic(d: V2Deps, x: Exchange, name: string, digest: string): Promise<void> {
  parseDigest(digest);
  const s = startUpload(d.ctx, name);
  let done: string;
  try {
    done = await finishUpload(d.ctx, await append(d, x, s), digest);
  } catch (err) {
    cancelUpload(d.ctx, s);
    throw err;
  }
  created(x, name, done);
}

export async function uploadHandler(
  d: V2Deps,
  x: Exchange,
  r: { name: string; id: string },
): Promise<void> {
  const s = uploadStatus(d.ctx, r.name, r.id);
  switch (x.req.method) {
    case "GET":
      progress(x, 204, s);
      return;
    case "PATCH":
      progress(x, 202, await append(d, x, s));
      return;
    case "PUT": {
      const full = hasBody(x.req) ? await append(d, x, s) : s;
      created(
        x,
        r.name,
        await finishUpload(d.ctx, full, x.url.searchParams.get("digest") ?? undefined),
      );
      return;
    }
    default:
      cancelUpload(d.ctx, s);
      send(x, 204);
  }
}
