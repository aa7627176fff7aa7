// Spec points of tags, the catalog, repository names and the referrers API.
import assert from "node:assert/strict";
import { blobOf, OCI_INDEX, OCI_MANIFEST, sha256 } from "../images.ts";
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

/** An artifact manifest of `type` whose subject is `subject` (the empty config pushed). */
async function artifact(
  t: SpecTarget,
  tok: string,
  repo: string,
  type: string,
  subject: { digest: string; manifest: Buffer },
): Promise<Buffer> {
  const empty = blobOf(Buffer.from("{}"));
  await putBlob(t, tok, repo, empty.data, empty.digest);
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: type,
      config: { mediaType: "application/vnd.oci.empty.v1+json", digest: empty.digest, size: 2 },
      layers: [],
      subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
      annotations: { "org.example.kind": type },
    }),
  );
}

const SIG = "application/vnd.example.signature";
const SBOM = "application/vnd.example.sbom";

/** A subject image with a signature and an SBOM pointing at it. */
async function withReferrers(t: SpecTarget, repo: string) {
  const tok = await t.token(all(repo));
  const subject = await pushImage(t, tok, repo, "subj");
  const made: Record<string, Buffer> = {};
  for (const type of [SIG, SBOM]) {
    const a = await artifact(t, tok, repo, type, subject);
    const r = await pushManifest(t.reg, tok, repo, sha256(a), a, OCI_MANIFEST);
    assert.equal(r.status, 201);
    made[type] = a;
  }
  return { tok, subject, sig: made[SIG]!, sbom: made[SBOM]! };
}

const digests = (r: { json(): { manifests: Array<{ digest: string }> } }) =>
  r
    .json()
    .manifests.map((m) => m.digest)
    .sort();

export const listingChecks: SpecCheck[] = [
  repoCheck(
    "tags-pagination",
    "tags list with `n`/`last` pagination and a `Link` header",
    async (t, repo, tok) => {
      const img = await pushImage(t, tok, repo, "t0");
      for (const tag of ["t1", "t2", "t3", "t4"])
        await pushManifest(t.reg, tok, repo, tag, img.manifest, OCI_MANIFEST);
      const p1 = await t.reg.req("GET", `/v2/${repo}/tags/list?n=2`, { token: tok });
      assert.deepEqual(p1.json(), { name: repo, tags: ["t0", "t1"] });
      assert.match(p1.header("link") ?? "", /[?&]last=t1[&>].*rel="next"/);
      const p3 = await t.reg.req("GET", `/v2/${repo}/tags/list?n=2&last=t3`, { token: tok });
      assert.deepEqual(p3.json().tags, ["t4"]);
    },
  ),
  {
    id: "tags-unknown-repository",
    point: "tags of an unknown repository: 404 `NAME_UNKNOWN`",
    async run(t) {
      const tok = await t.token("repository:spec/no/such/repo:pull");
      const r = await t.reg.req("GET", "/v2/spec/no/such/repo/tags/list", { token: tok });
      assert.equal(r.status, 404);
      assert.equal(code(r), "NAME_UNKNOWN");
    },
  },
  {
    id: "name-invalid",
    point: "an invalid repository name: 400 `NAME_INVALID`",
    async run(t) {
      const tok = await t.token(all("spec/name-valid"));
      const r = await t.reg.req("GET", "/v2/spec/Bad_Name/tags/list", { token: tok });
      assert.equal(r.status, 400);
      assert.equal(code(r), "NAME_INVALID");
    },
  },
  {
    id: "catalog",
    point: "`_catalog` with `n` pagination and `Link`; refused without the catalog scope",
    async run(t) {
      for (const repo of ["spec/catalog-a", "spec/catalog-b"])
        await pushImage(t, await t.token(all(repo)), repo, "v1");
      const tok = await t.token("registry:catalog:*");
      const p = await t.reg.req("GET", "/v2/_catalog?n=1", { token: tok });
      assert.equal(p.status, 200);
      assert.equal(p.json().repositories.length, 1);
      assert.match(p.header("link") ?? "", /^<\/v2\/_catalog\?[^>]*last=[^>]+>; rel="next"$/);
      const noScope = await t.reg.req("GET", "/v2/_catalog", { token: await t.token() });
      assert.equal(noScope.status, 401);
    },
  },
  {
    id: "referrers",
    point: "referrers API: an image index of the manifests whose `subject` is the digest",
    async run(t) {
      const repo = "spec/referrers";
      const { tok, subject, sig, sbom } = await withReferrers(t, repo);
      const refs = await t.reg.req("GET", `/v2/${repo}/referrers/${subject.digest}`, {
        token: tok,
      });
      assert.equal(refs.status, 200);
      assert.equal(refs.header("content-type"), OCI_INDEX);
      assert.deepEqual(digests(refs), [sha256(sig), sha256(sbom)].sort());
      const none = await t.reg.req(
        "GET",
        `/v2/${repo}/referrers/${sha256(Buffer.from("nothing"))}`,
        { token: tok },
      );
      assert.equal(none.status, 200);
      assert.deepEqual(none.json().manifests, []);
    },
  },
  {
    id: "referrers-filter",
    point: "referrers filtered by `artifactType`, with `OCI-Filters-Applied`",
    async run(t) {
      const repo = "spec/referrers-filter";
      const { tok, subject, sbom } = await withReferrers(t, repo);
      const filtered = await t.reg.req(
        "GET",
        `/v2/${repo}/referrers/${subject.digest}?artifactType=${SBOM}`,
        { token: tok },
      );
      assert.equal(filtered.header("oci-filters-applied"), "artifactType");
      assert.deepEqual(digests(filtered), [sha256(sbom)]);
      assert.equal(filtered.json().manifests[0].artifactType, SBOM);
    },
  },
  repoCheck(
    "oci-subject",
    "a manifest with a `subject` is answered with `OCI-Subject`",
    async (t, repo, tok) => {
      const subject = await pushImage(t, tok, repo, "subj");
      const a = await artifact(t, tok, repo, SIG, subject);
      const r = await pushManifest(t.reg, tok, repo, sha256(a), a, OCI_MANIFEST);
      assert.equal(r.status, 201);
      assert.equal(r.header("oci-subject"), subject.digest);
    },
  ),
];
