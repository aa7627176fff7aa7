// The distribution spec's points as REST calls on the real listener over TLS, with registry
// tokens from the real token endpoint (MCIAS behind it): status codes, headers and error codes
// exactly as the spec gives them.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { after, before, describe, test } from "node:test";
import type { MciasInstance } from "@metacircular/testkit";
import { blobOf, buildImage, OCI_INDEX, OCI_MANIFEST, sha256 } from "./helpers/images.ts";
import type { TestMcr } from "./helpers/mcr.ts";
import { pushBlob, pushManifest, type RegistryClient } from "./helpers/registry-client.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

let stack: Stack;
let mcias: MciasInstance;
let mcr: TestMcr;
let c: RegistryClient;
let ca: string;

before(async () => {
  stack = await startStack();
  ({ mcias, mcr, reg: c } = stack);
  ca = readFileSync(mcr.caCertPath, "utf8");
});
after(() => stack?.stop());

const admin = (...scopes: string[]) => stack.adminToken(...scopes);
const all = (repo: string) => `repository:${repo}:pull,push,delete`;
const code = (r: { json(): { errors: Array<{ code: string }> } }) => r.json().errors[0]?.code;

async function pushImage(tok: string, repo: string, ref: string, layerSizes = [1000, 2000]) {
  const img = buildImage(layerSizes.map((n) => blobOf(randomBytes(n))));
  for (const b of [img.config, ...img.layers])
    assert.equal((await pushBlob(c, tok, repo, b.data, b.digest)).status, 201);
  const r = await pushManifest(c, tok, repo, ref, img.manifest, OCI_MANIFEST);
  assert.equal(r.status, 201, r.body.toString());
  return img;
}

describe("base and token endpoint", () => {
  test("/v2/ challenges without a token and answers 200 with one", async () => {
    const r = await c.req("GET", "/v2/");
    assert.equal(r.status, 401);
    assert.equal(code(r), "UNAUTHORIZED");
    assert.match(
      r.header("www-authenticate") ?? "",
      /^Bearer realm="https:\/\/127\.0\.0\.1:\d+\/v2\/token",service="mcr-registry"$/,
    );
    const ok = await c.req("GET", "/v2/", { token: await admin() });
    assert.equal(ok.status, 200);
    assert.equal(ok.header("docker-distribution-api-version"), "registry/2.0");
  });

  test("a Host header that is not a plain host:port never reaches the challenge", async () => {
    const r = await c.req("GET", "/v2/", {
      headers: { Host: 'evil",error="x' },
      servername: "localhost",
    });
    assert.equal(r.status, 401);
    assert.match(
      r.header("www-authenticate") ?? "",
      /^Bearer realm="https:\/\/localhost\/v2\/token",service="mcr-registry"$/,
    );
  });

  test("a repository request's challenge names its scope", async () => {
    const r = await c.req("PUT", "/v2/x/y/manifests/latest", { body: "{}" });
    assert.equal(r.status, 401);
    assert.match(r.header("www-authenticate") ?? "", /scope="repository:x\/y:pull,push"/);
  });

  test("the OAuth2 POST form works, wrong passwords get 401 UNAUTHORIZED", async () => {
    const form = new URLSearchParams({
      grant_type: "password",
      username: mcias.adminUsername,
      password: mcias.adminPassword,
      service: "mcr-registry",
      scope: "repository:p/q:pull",
    });
    const r = await c.req("POST", "/v2/token", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    assert.equal(r.status, 200, r.body.toString());
    assert.ok(r.json().access_token);
    const bad = await c.tokenResponse(mcias.adminUsername, "wrong-password", [
      "repository:p/q:pull",
    ]);
    assert.equal(bad.status, 401);
    assert.equal(code(bad), "UNAUTHORIZED");
  });

  test("a token for one repository does not open another", async () => {
    const tok = await admin("repository:one/repo:pull");
    const r = await c.req("GET", "/v2/other/repo/tags/list", { token: tok });
    assert.equal(r.status, 401);
    assert.match(r.header("www-authenticate") ?? "", /error="insufficient_scope"/);
  });
});

describe("blobs and uploads", () => {
  const repo = "conf/blobs";
  let tok: string;
  before(async () => {
    tok = await admin(
      all(repo),
      "repository:conf/mount-src:pull,push",
      "repository:conf/no-pull:push",
    );
  });

  test("monolithic POST, HEAD, GET, ranges and DELETE", async () => {
    const data = randomBytes(4096);
    const d = sha256(data);
    const up = await pushBlob(c, tok, repo, data, d);
    assert.equal(up.status, 201);
    assert.equal(up.header("location"), `/v2/${repo}/blobs/${d}`);
    assert.equal(up.header("docker-content-digest"), d);
    const head = await c.req("HEAD", `/v2/${repo}/blobs/${d}`, { token: tok });
    assert.equal(head.status, 200);
    assert.equal(head.header("content-length"), "4096");
    assert.equal(head.header("docker-content-digest"), d);
    const get = await c.req("GET", `/v2/${repo}/blobs/${d}`, { token: tok });
    assert.deepEqual(get.body, data);
    const part = await c.req("GET", `/v2/${repo}/blobs/${d}`, {
      token: tok,
      headers: { Range: "bytes=100-199" },
    });
    assert.equal(part.status, 206);
    assert.equal(part.header("content-range"), "bytes 100-199/4096");
    assert.deepEqual(part.body, data.subarray(100, 200));
    const suffix = await c.req("GET", `/v2/${repo}/blobs/${d}`, {
      token: tok,
      headers: { Range: "bytes=-10" },
    });
    assert.deepEqual(suffix.body, data.subarray(4086));
    const beyond = await c.req("GET", `/v2/${repo}/blobs/${d}`, {
      token: tok,
      headers: { Range: "bytes=4096-" },
    });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.header("content-range"), "bytes */4096");
    assert.equal((await c.req("DELETE", `/v2/${repo}/blobs/${d}`, { token: tok })).status, 202);
    const gone = await c.req("HEAD", `/v2/${repo}/blobs/${d}`, { token: tok });
    assert.equal(gone.status, 404);
    const unknown = await c.req("GET", `/v2/${repo}/blobs/${sha256(randomBytes(8))}`, {
      token: tok,
    });
    assert.equal(code(unknown), "BLOB_UNKNOWN");
  });

  test("POST then PUT with the body; malformed digests are 400", async () => {
    const data = randomBytes(1000);
    const start = await c.req("POST", `/v2/${repo}/blobs/uploads/`, { token: tok });
    assert.equal(start.status, 202);
    const loc = start.header("location")!;
    assert.match(loc, new RegExp(`^/v2/${repo}/blobs/uploads/[0-9a-f-]{36}$`));
    const bad = await c.req("PUT", `${loc}?digest=sha256:xyz`, { token: tok, body: data });
    assert.equal(bad.status, 400);
    assert.equal(code(bad), "DIGEST_INVALID");
    const start2 = await c.req("POST", `/v2/${repo}/blobs/uploads/`, { token: tok });
    const put = await c.req("PUT", `${start2.header("location")}?digest=${sha256(data)}`, {
      token: tok,
      headers: { "Content-Type": "application/octet-stream" },
      body: data,
    });
    assert.equal(put.status, 201);
    const path = await c.req("GET", `/v2/${repo}/blobs/sha256:nothex`, { token: tok });
    assert.equal(path.status, 400);
    assert.equal(code(path), "DIGEST_INVALID");
  });

  test("chunked PATCH with Content-Range, out-of-order 416, status 204 with Range", async () => {
    const data = randomBytes(30_000);
    const start = await c.req("POST", `/v2/${repo}/blobs/uploads/`, { token: tok });
    const loc = start.header("location")!;
    const patch = (from: number, to: number) =>
      c.req("PATCH", loc, {
        token: tok,
        headers: {
          "Content-Type": "application/octet-stream",
          "Content-Range": `${from}-${to - 1}`,
        },
        body: data.subarray(from, to),
      });
    const p1 = await patch(0, 10_000);
    assert.equal(p1.status, 202);
    assert.equal(p1.header("range"), "0-9999");
    assert.equal(p1.header("location"), loc);
    const wrong = await patch(20_000, 30_000);
    assert.equal(wrong.status, 416);
    assert.equal(wrong.header("range"), "0-9999");
    assert.equal(wrong.header("location"), loc);
    const status = await c.req("GET", loc, { token: tok });
    assert.equal(status.status, 204);
    assert.equal(status.header("range"), "0-9999");
    assert.equal((await patch(10_000, 20_000)).status, 202);
    assert.equal((await patch(20_000, 30_000)).status, 202);
    const done = await c.req("PUT", `${loc}?digest=${sha256(data)}`, { token: tok });
    assert.equal(done.status, 201);
    const got = await c.req("GET", `/v2/${repo}/blobs/${sha256(data)}`, { token: tok });
    assert.deepEqual(got.body, data);
  });

  test("an interrupted chunk is resumed from the offset the registry reports", async () => {
    const data = randomBytes(2_000_000);
    const start = await c.req("POST", `/v2/${repo}/blobs/uploads/`, { token: tok });
    const loc = start.header("location")!;
    await new Promise<void>((resolve) => {
      const req = request(new URL(loc, mcr.url), {
        method: "PATCH",
        ca,
        headers: {
          Authorization: `Bearer ${tok}`,
          "Content-Length": data.length,
          "Content-Range": `0-${data.length - 1}`,
        },
      });
      req.on("error", () => resolve());
      req.write(data.subarray(0, 700_000), () => setTimeout(() => req.destroy(), 300));
    });
    let offset = 0;
    for (let i = 0; i < 50; i++) {
      const s = await c.req("GET", loc, { token: tok });
      assert.equal(s.status, 204);
      offset = Number(s.header("range")!.split("-")[1]) + 1;
      if (offset > 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(offset > 0 && offset <= 700_000, `resumable offset ${offset}`);
    const rest = await c.req("PATCH", loc, {
      token: tok,
      headers: { "Content-Range": `${offset}-${data.length - 1}` },
      body: data.subarray(offset),
    });
    assert.equal(rest.status, 202, rest.body.toString());
    const done = await c.req("PUT", `${loc}?digest=${sha256(data)}`, { token: tok });
    assert.equal(done.status, 201, done.body.toString());
  });

  test("a digest mismatch is refused and the upload discarded; cancel answers 204", async () => {
    const start = await c.req("POST", `/v2/${repo}/blobs/uploads/`, { token: tok });
    const loc = start.header("location")!;
    const r = await c.req("PUT", `${loc}?digest=${sha256(Buffer.from("other"))}`, {
      token: tok,
      body: randomBytes(100),
    });
    assert.equal(r.status, 400);
    assert.equal(code(r), "DIGEST_INVALID");
    assert.equal((await c.req("GET", loc, { token: tok })).status, 404);
    const s2 = await c.req("POST", `/v2/${repo}/blobs/uploads/`, { token: tok });
    const l2 = s2.header("location")!;
    assert.equal((await c.req("DELETE", l2, { token: tok })).status, 204);
    const after = await c.req("GET", l2, { token: tok });
    assert.equal(after.status, 404);
    assert.equal(code(after), "BLOB_UPLOAD_UNKNOWN");
  });

  test("sha512 digests", async () => {
    const data = randomBytes(5000);
    const d = `sha512:${createHash("sha512").update(data).digest("hex")}`;
    assert.equal((await pushBlob(c, tok, repo, data, d)).status, 201);
    const got = await c.req("GET", `/v2/${repo}/blobs/${d}`, { token: tok });
    assert.equal(got.header("docker-content-digest"), d);
    assert.deepEqual(got.body, data);
  });

  test("cross-repository mount when the source may be pulled, a 202 upload otherwise", async () => {
    const data = randomBytes(3000);
    const d = sha256(data);
    assert.equal((await pushBlob(c, tok, "conf/mount-src", data, d)).status, 201);
    const m = await c.req("POST", `/v2/${repo}/blobs/uploads/?mount=${d}&from=conf/mount-src`, {
      token: tok,
    });
    assert.equal(m.status, 201);
    assert.equal(m.header("location"), `/v2/${repo}/blobs/${d}`);
    const pushOnly = await admin("repository:conf/no-pull:push");
    const f = await c.req(
      "POST",
      `/v2/conf/no-pull/blobs/uploads/?mount=${d}&from=conf/mount-src`,
      { token: pushOnly },
    );
    assert.equal(f.status, 202);
    assert.match(f.header("location") ?? "", /^\/v2\/conf\/no-pull\/blobs\/uploads\//);
  });
});

describe("manifests, tags, catalog, referrers", () => {
  const repo = "conf/a/b/c";
  let tok: string;
  before(async () => {
    tok = await admin(all(repo), all("conf/docker"), "registry:catalog:*");
  });

  test("by tag and digest, HEAD, Accept negotiation, DELETE of tags and manifests", async () => {
    const img = await pushImage(tok, repo, "v1");
    const byTag = await c.req("GET", `/v2/${repo}/manifests/v1`, {
      token: tok,
      headers: { Accept: OCI_MANIFEST },
    });
    assert.equal(byTag.status, 200);
    assert.equal(byTag.header("content-type"), OCI_MANIFEST);
    assert.equal(byTag.header("docker-content-digest"), img.digest);
    assert.deepEqual(byTag.body, img.manifest);
    const head = await c.req("HEAD", `/v2/${repo}/manifests/${img.digest}`, { token: tok });
    assert.equal(head.status, 200);
    assert.equal(head.header("content-length"), String(img.manifest.length));
    const notAccepted = await c.req("GET", `/v2/${repo}/manifests/v1`, {
      token: tok,
      headers: { Accept: "application/vnd.docker.distribution.manifest.list.v2+json" },
    });
    assert.equal(notAccepted.status, 404);
    assert.equal((await c.req("DELETE", `/v2/${repo}/manifests/v1`, { token: tok })).status, 202);
    assert.equal(
      code(await c.req("GET", `/v2/${repo}/manifests/v1`, { token: tok })),
      "MANIFEST_UNKNOWN",
    );
    assert.equal(
      (await c.req("GET", `/v2/${repo}/manifests/${img.digest}`, { token: tok })).status,
      200,
    );
    assert.equal(
      (await c.req("DELETE", `/v2/${repo}/manifests/${img.digest}`, { token: tok })).status,
      202,
    );
    assert.equal(
      (await c.req("GET", `/v2/${repo}/manifests/${img.digest}`, { token: tok })).status,
      404,
    );
  });

  test("Docker schema 2 manifest and manifest list", async () => {
    const cfg = blobOf(
      Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'),
    );
    const layer = blobOf(randomBytes(500));
    for (const b of [cfg, layer]) await pushBlob(c, tok, "conf/docker", b.data, b.digest);
    const m = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.v2+json",
        config: {
          mediaType: "application/vnd.docker.container.image.v1+json",
          digest: cfg.digest,
          size: cfg.size,
        },
        layers: [
          {
            mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
            digest: layer.digest,
            size: layer.size,
          },
        ],
      }),
    );
    const put = await pushManifest(
      c,
      tok,
      "conf/docker",
      "d1",
      m,
      "application/vnd.docker.distribution.manifest.v2+json",
    );
    assert.equal(put.status, 201);
    const list = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.list.v2+json",
        manifests: [
          {
            mediaType: "application/vnd.docker.distribution.manifest.v2+json",
            digest: sha256(m),
            size: m.length,
            platform: { architecture: "amd64", os: "linux" },
          },
        ],
      }),
    );
    const putList = await pushManifest(
      c,
      tok,
      "conf/docker",
      "list",
      list,
      "application/vnd.docker.distribution.manifest.list.v2+json",
    );
    assert.equal(putList.status, 201);
    const got = await c.req("GET", "/v2/conf/docker/manifests/list", { token: tok });
    assert.equal(
      got.header("content-type"),
      "application/vnd.docker.distribution.manifest.list.v2+json",
    );
    assert.deepEqual(got.body, list);
  });

  test("invalid manifests, digest mismatch, unknown blobs and size limit: 400/413, never 500", async () => {
    const img = buildImage([blobOf(randomBytes(10))]);
    const cases: Array<[string, Buffer, string, number, string]> = [
      ["v", Buffer.from("{not json"), OCI_MANIFEST, 400, "MANIFEST_INVALID"],
      ["v", Buffer.from('{"schemaVersion":1}'), OCI_MANIFEST, 400, "MANIFEST_INVALID"],
      ["v", img.manifest, OCI_MANIFEST, 400, "MANIFEST_BLOB_UNKNOWN"],
      [sha256(Buffer.from("x")), img.manifest, OCI_MANIFEST, 400, "DIGEST_INVALID"],
      ["sha256:zz", img.manifest, OCI_MANIFEST, 400, "DIGEST_INVALID"],
      ["v", Buffer.alloc(5 << 20, 32), OCI_MANIFEST, 413, "SIZE_INVALID"],
    ];
    for (const [ref, body, type, status, errCode] of cases) {
      const r = await pushManifest(c, tok, repo, ref, body, type);
      assert.equal(r.status, status, `${ref}: ${r.body.toString().slice(0, 200)}`);
      assert.equal(code(r), errCode);
    }
  });

  test("tags with n/last pagination and Link; unknown repositories 404 NAME_UNKNOWN", async () => {
    const img = await pushImage(tok, repo, "t0");
    for (const t of ["t1", "t2", "t3", "t4"])
      await pushManifest(c, tok, repo, t, img.manifest, OCI_MANIFEST);
    const p1 = await c.req("GET", `/v2/${repo}/tags/list?n=2`, { token: tok });
    assert.deepEqual(p1.json(), { name: repo, tags: ["t0", "t1"] });
    assert.equal(p1.header("link"), `</v2/${repo}/tags/list?n=2&last=t1>; rel="next"`);
    const p3 = await c.req("GET", `/v2/${repo}/tags/list?n=2&last=t3`, { token: tok });
    assert.deepEqual(p3.json().tags, ["t4"]);
    assert.equal(p3.header("link"), undefined);
    const none = await c.req("GET", "/v2/conf/a/b/c/d/tags/list", {
      token: await admin("repository:conf/a/b/c/d:pull"),
    });
    assert.equal(code(none), "NAME_UNKNOWN");
    const badName = await c.req("GET", "/v2/Bad_Name/tags/list", { token: tok });
    assert.equal(badName.status, 400);
    assert.equal(code(badName), "NAME_INVALID");
  });

  test("referrers with artifactType filtering and OCI-Subject", async () => {
    const subject = await pushImage(tok, repo, "subj");
    const empty = blobOf(Buffer.from("{}"));
    await pushBlob(c, tok, repo, empty.data, empty.digest);
    const artifact = (type: string) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          artifactType: type,
          config: { mediaType: "application/vnd.oci.empty.v1+json", digest: empty.digest, size: 2 },
          layers: [],
          subject: {
            mediaType: OCI_MANIFEST,
            digest: subject.digest,
            size: subject.manifest.length,
          },
          annotations: { "org.example.kind": type },
        }),
      );
    const sig = artifact("application/vnd.example.signature");
    const sbom = artifact("application/vnd.example.sbom");
    for (const a of [sig, sbom]) {
      const r = await pushManifest(c, tok, repo, sha256(a), a, OCI_MANIFEST);
      assert.equal(r.status, 201);
      assert.equal(r.header("oci-subject"), subject.digest);
    }
    const refs = await c.req("GET", `/v2/${repo}/referrers/${subject.digest}`, { token: tok });
    assert.equal(refs.status, 200);
    assert.equal(refs.header("content-type"), OCI_INDEX);
    assert.deepEqual(
      refs
        .json()
        .manifests.map((m: { digest: string }) => m.digest)
        .sort(),
      [sha256(sig), sha256(sbom)].sort(),
    );
    const filtered = await c.req(
      "GET",
      `/v2/${repo}/referrers/${subject.digest}?artifactType=application/vnd.example.sbom`,
      { token: tok },
    );
    assert.equal(filtered.header("oci-filters-applied"), "artifactType");
    assert.deepEqual(
      filtered.json().manifests.map((m: { digest: string }) => m.digest),
      [sha256(sbom)],
    );
    assert.equal(filtered.json().manifests[0].artifactType, "application/vnd.example.sbom");
    const none = await c.req("GET", `/v2/${repo}/referrers/${sha256(Buffer.from("nothing"))}`, {
      token: tok,
    });
    assert.deepEqual(none.json().manifests, []);
  });

  test("_catalog is paginated", async () => {
    const p = await c.req("GET", "/v2/_catalog?n=1", { token: tok });
    assert.equal(p.status, 200);
    assert.equal(p.json().repositories.length, 1);
    assert.match(p.header("link") ?? "", /^<\/v2\/_catalog\?n=1&last=[^>]+>; rel="next"$/);
    const noScope = await c.req("GET", "/v2/_catalog", { token: await admin() });
    assert.equal(noScope.status, 401);
  });
});

describe("service endpoints", () => {
  test("unknown /v2 paths 404, unsupported methods 405 with Allow", async () => {
    const tok = await admin("repository:conf/blobs:pull");
    const r = await c.req("GET", "/v2/conf/blobs/not/an/endpoint", { token: tok });
    assert.equal(r.status, 404);
    const m = await c.req("POST", "/v2/conf/blobs/tags/list", { token: tok });
    assert.equal(m.status, 405);
    assert.equal(m.header("allow"), "GET");
  });

  test("/v1/health and /metrics are public; /metrics counts /v2 requests by route", async () => {
    const h = await stack.api.request("GET", "/v1/health");
    assert.deepEqual((h.body as { status: string }).status, "ok");
    const m = await c.req("GET", "/metrics");
    assert.equal(m.status, 200);
    assert.match(
      m.body.toString(),
      /mcr_v2_requests_total\{route="manifest",method="PUT",status="201"\} \d+/,
    );
    assert.match(m.body.toString(), /mcr_blob_bytes_received_total \d+/);
  });
});
