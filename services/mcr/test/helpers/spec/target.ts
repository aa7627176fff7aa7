// The distribution spec's points as checks that run against any registry reachable over TLS with
// Bearer tokens: MCR in its conformance test, and Debian's docker-registry beside it (the
// differential test and the benchmark's table). Each check pushes what it needs into
// repositories of its own (spec/<check id>/...), so checks run in any order and any subset.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { blobOf, buildImage, OCI_MANIFEST } from "../images.ts";
import { pushManifest, type RegistryClient, type RegResponse } from "../registry-client.ts";

export interface SpecTarget {
  name: string;
  reg: RegistryClient;
  /** A registry token for the test's administrator with exactly these scopes. */
  token(...scopes: string[]): Promise<string>;
}

export interface SpecCheck {
  /** Stable identifier (also the repository prefix the check uses). */
  id: string;
  /** The spec point, as the results table names it. */
  point: string;
  run(t: SpecTarget): Promise<void>;
}

export interface CheckResult {
  id: string;
  point: string;
  ok: boolean;
  /** First line of the failed assertion or error. */
  detail?: string;
}

export const all = (repo: string) => `repository:${repo}:pull,push,delete`;

/** A check on a repository of its own, `spec/<id>`, with a pull, push and delete token for it. */
export function repoCheck(
  id: string,
  point: string,
  run: (t: SpecTarget, repo: string, tok: string) => Promise<void>,
): SpecCheck {
  return {
    id,
    point,
    async run(t) {
      const repo = `spec/${id}`;
      await run(t, repo, await t.token(all(repo)));
    },
  };
}

/** The first error code of a spec error body, or undefined when the body is not one. */
export function code(r: RegResponse): string | undefined {
  try {
    return r.json().errors?.[0]?.code;
  } catch {
    return undefined;
  }
}

/** `loc` (absolute or a path, maybe with a query of its own) with one more query parameter. */
export function withQuery(loc: string, param: string): string {
  return `${loc}${loc.includes("?") ? "&" : "?"}${param}`;
}

/** The path of an upload Location, whether the registry answered with a URL or a path. */
export function locationPath(loc: string | undefined): string {
  return new URL(loc ?? "", "https://registry").pathname;
}

/**
 * A blob pushed the portable way, POST then PUT `?digest=` with the body (docker-registry 2.8
 * does not take the one-request monolithic POST, which has its own check).
 */
export async function putBlob(
  t: SpecTarget,
  tok: string,
  repo: string,
  data: Buffer,
  digest: string,
): Promise<RegResponse> {
  const loc = await startUpload(t, tok, repo);
  return t.reg.req("PUT", withQuery(loc, `digest=${encodeURIComponent(digest)}`), {
    token: tok,
    headers: { "Content-Type": "application/octet-stream" },
    body: data,
  });
}

/** PATCH of `body` to an upload as the chunk starting at `from` (with its Content-Range). */
export function patchChunk(t: SpecTarget, tok: string, loc: string, from: number, body: Buffer) {
  return t.reg.req("PATCH", loc, {
    token: tok,
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Range": `${from}-${from + body.length - 1}`,
    },
    body,
  });
}

/** Config and layers of `layerSizes` random bytes pushed, then the manifest under `ref`. */
export async function pushImage(
  t: SpecTarget,
  tok: string,
  repo: string,
  ref: string,
  layerSizes = [1000, 2000],
) {
  const img = buildImage(layerSizes.map((n) => blobOf(randomBytes(n))));
  for (const b of [img.config, ...img.layers])
    assert.equal((await putBlob(t, tok, repo, b.data, b.digest)).status, 201);
  const r = await pushManifest(t.reg, tok, repo, ref, img.manifest, OCI_MANIFEST);
  assert.equal(r.status, 201, r.body.toString());
  return img;
}

/** POST to start an upload session; returns its Location (as the registry gave it). */
export async function startUpload(t: SpecTarget, tok: string, repo: string): Promise<string> {
  const r = await t.reg.req("POST", `/v2/${repo}/blobs/uploads/`, { token: tok });
  assert.equal(r.status, 202);
  const loc = r.header("location");
  assert.ok(loc, "upload Location");
  return loc;
}

/** One line for a failed check: what was found against what the spec wants. */
function describe(err: unknown): string {
  const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  if (err instanceof assert.AssertionError && err.operator !== "fail") {
    const line = `${text(err.actual)}, wanted ${text(err.expected)}`;
    return line.length > 120 ? `${line.slice(0, 117)}...` : line;
  }
  return ((err as Error).message.split("\n")[0] ?? "").slice(0, 120);
}

export async function runChecks(t: SpecTarget, checks: SpecCheck[]): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const c of checks) {
    try {
      await c.run(t);
      out.push({ id: c.id, point: c.point, ok: true });
    } catch (err) {
      out.push({ id: c.id, point: c.point, ok: false, detail: describe(err) });
    }
  }
  return out;
}
