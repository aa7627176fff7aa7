// Spec points of blob uploads: monolithic, POST then PUT, chunked with Content-Range, status,
// resume after an interrupted chunk, digest checks and cancel.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request } from "node:https";
import { sha256 } from "../images.ts";
import { pushBlob } from "../registry-client.ts";
import {
  code,
  locationPath,
  patchChunk,
  repoCheck,
  type SpecCheck,
  type SpecTarget,
  startUpload,
  withQuery,
} from "./target.ts";

/** Sends the first `sent` bytes of a PATCH declaring all of `data`, then drops the connection. */
function interruptedPatch(t: SpecTarget, tok: string, loc: string, data: Buffer, sent: number) {
  return new Promise<void>((resolve) => {
    const req = request(new URL(loc, t.reg.base), {
      method: "PATCH",
      ca: t.reg.ca,
      headers: {
        Authorization: `Bearer ${tok}`,
        "Content-Type": "application/octet-stream",
        "Content-Length": data.length,
        "Content-Range": `0-${data.length - 1}`,
      },
    });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.write(data.subarray(0, sent), () => setTimeout(() => req.destroy(), 300));
  });
}

/** The offset to resume from, as the upload's status reports it (polled until it moves). */
async function resumeOffset(t: SpecTarget, tok: string, loc: string): Promise<number> {
  let offset = 0;
  const deadline = Date.now() + 30_000; // a bound: the server may store the bytes seconds later
  while (offset === 0 && Date.now() < deadline) {
    const s = await t.reg.req("GET", loc, { token: tok });
    assert.equal(s.status, 204);
    offset = Number((s.header("range") ?? "0-0").split("-")[1]) + 1;
    if (offset <= 1) {
      offset = 0;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return offset;
}

export const uploadChecks: SpecCheck[] = [
  repoCheck(
    "upload-monolithic",
    "monolithic upload in one POST `?digest=`: 201 with `Location`, `Docker-Content-Digest`",
    async (t, repo, tok) => {
      const data = randomBytes(2048);
      const r = await pushBlob(t.reg, tok, repo, data, sha256(data));
      assert.equal(r.status, 201);
      assert.equal(locationPath(r.header("location")), `/v2/${repo}/blobs/${sha256(data)}`);
      assert.equal(r.header("docker-content-digest"), sha256(data));
    },
  ),
  repoCheck(
    "upload-post-put",
    "POST (202 with `Location`) then PUT `?digest=` with the body: 201",
    async (t, repo, tok) => {
      const data = randomBytes(1000);
      const loc = await startUpload(t, tok, repo);
      assert.match(locationPath(loc), new RegExp(`^/v2/${repo}/blobs/uploads/`));
      const put = await t.reg.req("PUT", withQuery(loc, `digest=${sha256(data)}`), {
        token: tok,
        headers: { "Content-Type": "application/octet-stream" },
        body: data,
      });
      assert.equal(put.status, 201);
    },
  ),
  repoCheck(
    "upload-malformed-digest",
    "PUT with a malformed `?digest=`: 400 `DIGEST_INVALID`",
    async (t, repo, tok) => {
      const loc = await startUpload(t, tok, repo);
      const bad = await t.reg.req("PUT", withQuery(loc, "digest=sha256:xyz"), {
        token: tok,
        body: randomBytes(100),
      });
      assert.equal(bad.status, 400);
      assert.equal(code(bad), "DIGEST_INVALID");
    },
  ),
  repoCheck(
    "upload-chunked",
    "chunked PATCH with `Content-Range`: 202 with `Range` and `Location`, PUT closes",
    async (t, repo, tok) => {
      const data = randomBytes(30_000);
      let loc = await startUpload(t, tok, repo);
      for (let from = 0; from < data.length; from += 10_000) {
        const p = await patchChunk(t, tok, loc, from, data.subarray(from, from + 10_000));
        assert.equal(p.status, 202);
        assert.equal(p.header("range"), `0-${from + 9999}`);
        loc = p.header("location") ?? assert.fail("PATCH answered without Location");
      }
      const done = await t.reg.req("PUT", withQuery(loc, `digest=${sha256(data)}`), { token: tok });
      assert.equal(done.status, 201);
      const got = await t.reg.req("GET", `/v2/${repo}/blobs/${sha256(data)}`, { token: tok });
      assert.deepEqual(got.body, data);
    },
  ),
  repoCheck("upload-out-of-order", "an out-of-order chunk: 416", async (t, repo, tok) => {
    const loc = await startUpload(t, tok, repo);
    const first = await patchChunk(t, tok, loc, 0, randomBytes(1000));
    assert.equal(first.status, 202);
    const wrong = await patchChunk(
      t,
      tok,
      first.header("location") ?? loc,
      5000,
      randomBytes(1000),
    );
    assert.equal(wrong.status, 416);
  }),
  repoCheck(
    "upload-status",
    "upload status GET: 204 with `Range` and `Location`",
    async (t, repo, tok) => {
      const loc = await startUpload(t, tok, repo);
      const p = await patchChunk(t, tok, loc, 0, randomBytes(1000));
      const s = await t.reg.req("GET", p.header("location") ?? loc, { token: tok });
      assert.equal(s.status, 204);
      assert.equal(s.header("range"), "0-999");
      assert.match(locationPath(s.header("location")), new RegExp(`^/v2/${repo}/blobs/uploads/`));
    },
  ),
  repoCheck(
    "upload-resume",
    "an interrupted chunk resumes from the offset the status reports",
    async (t, repo, tok) => {
      const data = randomBytes(2_000_000);
      const loc = await startUpload(t, tok, repo);
      await interruptedPatch(t, tok, loc, data, 700_000);
      const offset = await resumeOffset(t, tok, loc);
      assert.ok(offset > 0 && offset <= 700_000, `resumable offset ${offset}`);
      const rest = await patchChunk(t, tok, loc, offset, data.subarray(offset));
      assert.equal(rest.status, 202, rest.body.toString());
      const l2 = rest.header("location") ?? loc;
      const done = await t.reg.req("PUT", withQuery(l2, `digest=${sha256(data)}`), { token: tok });
      assert.equal(done.status, 201, done.body.toString());
    },
  ),
  repoCheck(
    "upload-digest-mismatch",
    "a digest mismatch: 400 `DIGEST_INVALID`, the upload discarded",
    async (t, repo, tok) => {
      const loc = await startUpload(t, tok, repo);
      const r = await t.reg.req("PUT", withQuery(loc, `digest=${sha256(Buffer.from("other"))}`), {
        token: tok,
        body: randomBytes(100),
      });
      assert.equal(r.status, 400);
      assert.equal(code(r), "DIGEST_INVALID");
      assert.equal((await t.reg.req("GET", loc, { token: tok })).status, 404);
    },
  ),
  repoCheck(
    "upload-cancel",
    "upload DELETE: 204, then status 404 `BLOB_UPLOAD_UNKNOWN`",
    async (t, repo, tok) => {
      const loc = await startUpload(t, tok, repo);
      assert.equal((await t.reg.req("DELETE", loc, { token: tok })).status, 204);
      const after = await t.reg.req("GET", loc, { token: tok });
      assert.equal(after.status, 404);
      assert.equal(code(after), "BLOB_UPLOAD_UNKNOWN");
    },
  ),
];
