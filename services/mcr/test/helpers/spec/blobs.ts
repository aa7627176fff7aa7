// Spec points of blob reads, deletes, digests and cross-repository mounts.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { sha256 } from "../images.ts";
import {
  all,
  code,
  locationPath,
  putBlob,
  repoCheck,
  type SpecCheck,
  type SpecTarget,
} from "./target.ts";

/** A fresh 4096-byte blob in `repo`, with a token for the repository. */
async function stored(t: SpecTarget, repo: string) {
  const tok = await t.token(all(repo));
  const data = randomBytes(4096);
  const digest = sha256(data);
  const r = await putBlob(t, tok, repo, data, digest);
  assert.equal(r.status, 201, r.body.toString());
  const get = (range?: string) =>
    t.reg.req("GET", `/v2/${repo}/blobs/${digest}`, {
      token: tok,
      ...(range ? { headers: { Range: range } } : {}),
    });
  return { tok, data, digest, get };
}

export const blobChecks: SpecCheck[] = [
  {
    id: "blob-head-get",
    point: "blob HEAD (`Content-Length`, `Docker-Content-Digest`) and GET",
    async run(t) {
      const b = await stored(t, "spec/blob-head-get");
      const head = await t.reg.req("HEAD", `/v2/spec/blob-head-get/blobs/${b.digest}`, {
        token: b.tok,
      });
      assert.equal(head.status, 200);
      assert.equal(head.header("content-length"), "4096");
      assert.equal(head.header("docker-content-digest"), b.digest);
      assert.deepEqual((await b.get()).body, b.data);
    },
  },
  {
    id: "blob-range",
    point: "blob GET with `Range` (`a-b` and suffix `-n`): 206 with `Content-Range`",
    async run(t) {
      const b = await stored(t, "spec/blob-range");
      const part = await b.get("bytes=100-199");
      assert.equal(part.status, 206);
      assert.equal(part.header("content-range"), "bytes 100-199/4096");
      assert.deepEqual(part.body, b.data.subarray(100, 200));
      assert.deepEqual((await b.get("bytes=-10")).body, b.data.subarray(4086));
    },
  },
  {
    id: "blob-range-unsatisfiable",
    point: "an unsatisfiable range: 416 with `Content-Range: bytes */size`",
    async run(t) {
      const b = await stored(t, "spec/blob-range-416");
      const r = await b.get("bytes=4096-");
      assert.equal(r.status, 416);
      assert.equal(r.header("content-range"), "bytes */4096");
    },
  },
  {
    id: "blob-delete",
    point: "blob DELETE: 202, then 404",
    async run(t) {
      const b = await stored(t, "spec/blob-delete");
      const path = `/v2/spec/blob-delete/blobs/${b.digest}`;
      assert.equal((await t.reg.req("DELETE", path, { token: b.tok })).status, 202);
      assert.equal((await t.reg.req("HEAD", path, { token: b.tok })).status, 404);
    },
  },
  {
    id: "blob-unknown",
    point: "an unknown blob: 404 `BLOB_UNKNOWN`",
    async run(t) {
      const tok = await t.token(all("spec/blob-unknown"));
      const r = await t.reg.req("GET", `/v2/spec/blob-unknown/blobs/${sha256(randomBytes(8))}`, {
        token: tok,
      });
      assert.equal(r.status, 404);
      assert.equal(code(r), "BLOB_UNKNOWN");
    },
  },
  {
    id: "blob-malformed-digest",
    point: "a malformed digest in a blob path: 400 `DIGEST_INVALID`",
    async run(t) {
      const tok = await t.token(all("spec/blob-bad-digest"));
      const r = await t.reg.req("GET", "/v2/spec/blob-bad-digest/blobs/sha256:nothex", {
        token: tok,
      });
      assert.equal(r.status, 400);
      assert.equal(code(r), "DIGEST_INVALID");
    },
  },
  repoCheck(
    "sha512",
    "sha512 digests: pushed, served with `Docker-Content-Digest`",
    async (t, repo, tok) => {
      const data = randomBytes(5000);
      const d = `sha512:${createHash("sha512").update(data).digest("hex")}`;
      const up = await putBlob(t, tok, repo, data, d);
      assert.equal(up.status, 201, up.body.toString());
      const got = await t.reg.req("GET", `/v2/${repo}/blobs/${d}`, { token: tok });
      assert.equal(got.header("docker-content-digest"), d);
      assert.deepEqual(got.body, data);
    },
  ),
  {
    id: "mount",
    point: "cross-repository mount (`mount`, `from`) when the source may be pulled: 201",
    async run(t) {
      const b = await stored(t, "spec/mount-src");
      const tok = await t.token(all("spec/mount-dst"), "repository:spec/mount-src:pull");
      const m = await t.reg.req(
        "POST",
        `/v2/spec/mount-dst/blobs/uploads/?mount=${b.digest}&from=spec/mount-src`,
        { token: tok },
      );
      assert.equal(m.status, 201);
      assert.equal(locationPath(m.header("location")), `/v2/spec/mount-dst/blobs/${b.digest}`);
    },
  },
  {
    id: "mount-fallback",
    point: "a mount the caller may not pull from: a 202 upload session instead",
    async run(t) {
      const b = await stored(t, "spec/mount-src2");
      const tok = await t.token("repository:spec/mount-nopull:pull,push");
      const f = await t.reg.req(
        "POST",
        `/v2/spec/mount-nopull/blobs/uploads/?mount=${b.digest}&from=spec/mount-src2`,
        { token: tok },
      );
      assert.equal(f.status, 202);
      assert.match(
        locationPath(f.header("location")),
        /^\/v2\/spec\/mount-nopull\/blobs\/uploads\//,
      );
    },
  },
];
