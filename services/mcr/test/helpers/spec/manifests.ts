// Spec points of manifests: by tag and digest, Accept, deletes, Docker media types, and the
// refusals (invalid, unknown blobs, digest mismatch, malformed digest, size limit).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { blobOf, buildImage, OCI_MANIFEST, sha256 } from "../images.ts";
import { pushManifest } from "../registry-client.ts";
import {
  all,
  code,
  pushImage,
  putBlob,
  repoCheck,
  type SpecCheck,
  type SpecTarget,
} from "./target.ts";

const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

/** A refused manifest PUT: the status and error code the spec gives. */
function refusal(
  id: string,
  point: string,
  make: (t: SpecTarget, tok: string, repo: string) => Promise<{ ref: string; body: Buffer }>,
  status: number,
  errCode: string,
): SpecCheck {
  return repoCheck(id, point, async (t, repo, tok) => {
    const { ref, body } = await make(t, tok, repo);
    const r = await pushManifest(t.reg, tok, repo, ref, body, OCI_MANIFEST);
    assert.equal(r.status, status, r.body.toString().slice(0, 200));
    assert.equal(code(r), errCode);
  });
}

/** A Docker schema 2 image (config and one layer pushed) in `repo`; returns its manifest. */
async function dockerImage(t: SpecTarget, tok: string, repo: string): Promise<Buffer> {
  const cfg = blobOf(
    Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'),
  );
  const layer = blobOf(randomBytes(500));
  for (const b of [cfg, layer]) await putBlob(t, tok, repo, b.data, b.digest);
  const desc = (mediaType: string, b: { digest: string; size: number }) => ({
    mediaType,
    digest: b.digest,
    size: b.size,
  });
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: desc("application/vnd.docker.container.image.v1+json", cfg),
      layers: [desc("application/vnd.docker.image.rootfs.diff.tar.gzip", layer)],
    }),
  );
}

export const manifestChecks: SpecCheck[] = [
  repoCheck(
    "manifest-tag-digest",
    "manifest PUT by tag; GET and HEAD by tag and digest with type, digest and length",
    async (t, repo, tok) => {
      const img = await pushImage(t, tok, repo, "v1");
      const byTag = await t.reg.req("GET", `/v2/${repo}/manifests/v1`, {
        token: tok,
        headers: { Accept: OCI_MANIFEST },
      });
      assert.equal(byTag.status, 200);
      assert.equal(byTag.header("content-type"), OCI_MANIFEST);
      assert.equal(byTag.header("docker-content-digest"), img.digest);
      assert.deepEqual(byTag.body, img.manifest);
      const head = await t.reg.req("HEAD", `/v2/${repo}/manifests/${img.digest}`, {
        token: tok,
        headers: { Accept: OCI_MANIFEST },
      });
      assert.equal(head.status, 200);
      assert.equal(head.header("content-length"), String(img.manifest.length));
    },
  ),
  {
    id: "nested-names",
    point: "nested repository names (`spec/nested/a/b/c`)",
    async run(t) {
      const repo = "spec/nested/a/b/c";
      const tok = await t.token(all(repo));
      await pushImage(t, tok, repo, "v1");
      const r = await t.reg.req("GET", `/v2/${repo}/tags/list`, { token: tok });
      assert.deepEqual(r.json(), { name: repo, tags: ["v1"] });
    },
  },
  repoCheck(
    "tag-delete",
    "DELETE of a tag: 202; the manifest stays reachable by digest",
    async (t, repo, tok) => {
      const img = await pushImage(t, tok, repo, "v1");
      const del = await t.reg.req("DELETE", `/v2/${repo}/manifests/v1`, { token: tok });
      assert.equal(del.status, 202);
      const gone = await t.reg.req("GET", `/v2/${repo}/manifests/v1`, { token: tok });
      assert.equal(code(gone), "MANIFEST_UNKNOWN");
      const byDigest = await t.reg.req("GET", `/v2/${repo}/manifests/${img.digest}`, {
        token: tok,
        headers: { Accept: OCI_MANIFEST },
      });
      assert.equal(byDigest.status, 200);
    },
  ),
  repoCheck(
    "manifest-delete",
    "DELETE of a manifest by digest: 202, then 404",
    async (t, repo, tok) => {
      const img = await pushImage(t, tok, repo, "v1");
      const path = `/v2/${repo}/manifests/${img.digest}`;
      assert.equal((await t.reg.req("DELETE", path, { token: tok })).status, 202);
      assert.equal((await t.reg.req("GET", path, { token: tok })).status, 404);
    },
  ),
  repoCheck(
    "docker-media-types",
    "Docker schema 2 manifest and manifest list, served with their media types",
    async (t, repo, tok) => {
      const m = await dockerImage(t, tok, repo);
      assert.equal((await pushManifest(t.reg, tok, repo, "d1", m, DOCKER_MANIFEST)).status, 201);
      const platform = { architecture: "amd64", os: "linux" };
      const list = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: DOCKER_LIST,
          manifests: [{ mediaType: DOCKER_MANIFEST, digest: sha256(m), size: m.length, platform }],
        }),
      );
      assert.equal((await pushManifest(t.reg, tok, repo, "list", list, DOCKER_LIST)).status, 201);
      const got = await t.reg.req("GET", `/v2/${repo}/manifests/list`, {
        token: tok,
        headers: { Accept: DOCKER_LIST },
      });
      assert.equal(got.header("content-type"), DOCKER_LIST);
      assert.deepEqual(got.body, list);
    },
  ),
  refusal(
    "manifest-not-json",
    "a manifest that is not JSON: 400 `MANIFEST_INVALID`",
    async () => ({ ref: "v", body: Buffer.from("{not json") }),
    400,
    "MANIFEST_INVALID",
  ),
  refusal(
    "manifest-bad-schema",
    "a manifest of the wrong schema version: 400 `MANIFEST_INVALID`",
    async () => ({ ref: "v", body: Buffer.from('{"schemaVersion":1}') }),
    400,
    "MANIFEST_INVALID",
  ),
  refusal(
    "manifest-blob-unknown",
    "a manifest naming blobs the repository lacks: 400 `MANIFEST_BLOB_UNKNOWN`",
    async () => ({ ref: "v", body: buildImage([blobOf(randomBytes(10))]).manifest }),
    400,
    "MANIFEST_BLOB_UNKNOWN",
  ),
  refusal(
    "manifest-digest-mismatch",
    "a manifest PUT under a digest it does not have: 400 `DIGEST_INVALID`",
    async (t, tok, repo) => ({
      ref: sha256(Buffer.from("x")),
      body: (await pushImage(t, tok, repo, "v1")).manifest,
    }),
    400,
    "DIGEST_INVALID",
  ),
  refusal(
    "manifest-malformed-digest",
    "a manifest reference that is a malformed digest: 400 `DIGEST_INVALID`",
    async (t, tok, repo) => ({
      ref: "sha256:zz",
      body: (await pushImage(t, tok, repo, "v1")).manifest,
    }),
    400,
    "DIGEST_INVALID",
  ),
  refusal(
    "manifest-too-large",
    "a manifest over the size limit (5 MiB): 413 `SIZE_INVALID`",
    async () => ({ ref: "v", body: Buffer.alloc(5 << 20, 32) }),
    413,
    "SIZE_INVALID",
  ),
];
