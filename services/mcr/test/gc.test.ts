// Garbage collection on a live registry: after a tag is deleted, GC frees exactly the blobs no
// kept image references, while another push that reuses a layer of the deleted image (and
// streams a new layer during the collection) succeeds. The dry run reports the same and
// removes nothing.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { PassThrough } from "node:stream";
import { after, before, test } from "node:test";
import type { JsonClient } from "@metacircular/mcdsl/auth";
import type { MciasInstance } from "@metacircular/testkit";
import { parseDigest } from "../src/oci/digest.ts";
import {
  blobOf,
  buildImage,
  buildIndex,
  OCI_INDEX,
  OCI_MANIFEST,
  sha256,
} from "./helpers/images.ts";
import type { TestMcr } from "./helpers/mcr.ts";
import { pushBlob, pushManifest, type RegistryClient } from "./helpers/registry-client.ts";
import { mciasLogin, type Stack, startStack } from "./helpers/stack.ts";

let mcias: MciasInstance;
let mcr: TestMcr;
let c: RegistryClient;
let api: JsonClient;
let adminMcr: string;
let stack: Stack;

/**
 * GC's grace period. Long enough that a layer the new push checked (HEAD) is still inside it when
 * the collection runs a few requests later on a loaded machine; the old image waits it out.
 */
const GRACE_S = 3;

before(async () => {
  stack = await startStack({ gc: { grace_seconds: GRACE_S } });
  ({ mcias, mcr, reg: c, api } = stack);
  adminMcr = await mciasLogin(mcias, mcias.adminUsername, mcias.adminPassword);
});
after(() => stack?.stop());

const onDisk = (digest: string) => existsSync(mcr.ctx.store.blobPath(parseDigest(digest)));
const gc = async (dryRun: boolean) => {
  const r = await api.request("POST", "/v1/gc", { token: adminMcr, body: { dry_run: dryRun } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as {
    manifests: Array<{ digest: string }>;
    blobs: Array<{ digest: string }>;
    links: Array<{ repository: string; digest: string }>;
    uploads: string[];
  };
};

test("GC after tag deletion frees exactly the unreferenced blobs during a concurrent push", async () => {
  const tok = await c.token(mcias.adminUsername, mcias.adminPassword, [
    "repository:gc/app:pull,push,delete",
    "repository:gc/keep:pull,push",
  ]);
  const [l1, l2, l3] = [
    blobOf(randomBytes(3000)),
    blobOf(randomBytes(4000)),
    blobOf(randomBytes(5000)),
  ];
  const old = buildImage([l1, l2]);
  const keep = buildImage([l3]);
  for (const [repo, img] of [
    ["gc/app", old],
    ["gc/keep", keep],
  ] as const) {
    for (const b of [img.config, ...img.layers]) await pushBlob(c, tok, repo, b.data, b.digest);
    assert.equal((await pushManifest(c, tok, repo, "v1", img.manifest, OCI_MANIFEST)).status, 201);
  }
  // gc/app also gets l3 by mount; none of its manifests will use it.
  const mount = await c.req("POST", `/v2/gc/app/blobs/uploads/?mount=${l3.digest}&from=gc/keep`, {
    token: tok,
  });
  assert.equal(mount.status, 201);
  // Everything is now older than the grace period.
  await new Promise((r) => setTimeout(r, GRACE_S * 1000 + 100));
  assert.equal((await c.req("DELETE", "/v2/gc/app/manifests/v1", { token: tok })).status, 202);

  const dry = await gc(true);
  assert.deepEqual(
    dry.manifests.map((m) => m.digest),
    [old.digest],
  );
  assert.deepEqual(
    dry.blobs.map((b) => b.digest).sort(),
    [l1.digest, l2.digest, old.config.digest].sort(),
  );
  for (const b of [l1, l2, old.config]) assert.ok(onDisk(b.digest), "a dry run removes nothing");

  // A new image reusing l1: the client checks l1 is there (HEAD) and starts streaming a new layer.
  const l4 = blobOf(randomBytes(200_000));
  const next = buildImage([l1, l4]);
  assert.equal((await c.req("HEAD", `/v2/gc/app/blobs/${l1.digest}`, { token: tok })).status, 200);
  const start = await c.req("POST", "/v2/gc/app/blobs/uploads/", { token: tok });
  const body = new PassThrough();
  const patch = c.req("PATCH", start.header("location")!, {
    token: tok,
    headers: { "Content-Type": "application/octet-stream" },
    body,
  });
  body.write(l4.data.subarray(0, 100_000));
  await new Promise((r) => setTimeout(r, 200));

  const done = await gc(false);

  body.end(l4.data.subarray(100_000));
  assert.equal((await patch).status, 202);
  const fin = await c.req("PUT", `${start.header("location")}?digest=${l4.digest}`, { token: tok });
  assert.equal(fin.status, 201);
  assert.equal(
    (await pushBlob(c, tok, "gc/app", next.config.data, next.config.digest)).status,
    201,
  );
  const put = await pushManifest(c, tok, "gc/app", "v2", next.manifest, OCI_MANIFEST);
  assert.equal(put.status, 201, put.body.toString());

  assert.deepEqual(
    done.manifests.map((m) => m.digest),
    [old.digest],
  );
  assert.deepEqual(done.blobs.map((b) => b.digest).sort(), [l2.digest, old.config.digest].sort());
  assert.deepEqual(done.uploads, []);
  assert.deepEqual(done.links, [{ repository: "gc/app", digest: l3.digest }]);
  assert.equal((await c.req("HEAD", `/v2/gc/app/blobs/${l3.digest}`, { token: tok })).status, 404);
  assert.equal((await c.req("HEAD", `/v2/gc/keep/blobs/${l3.digest}`, { token: tok })).status, 200);
  assert.ok(!onDisk(l2.digest) && !onDisk(old.config.digest), "freed blobs are gone from disk");
  for (const b of [l1, l3, keep.config, l4]) assert.ok(onDisk(b.digest), `${b.digest} kept`);
  const pulled = await c.req("GET", `/v2/gc/app/blobs/${l1.digest}`, { token: tok });
  assert.equal(sha256(pulled.body), l1.digest);
  assert.equal((await c.req("GET", "/v2/gc/keep/manifests/v1", { token: tok })).status, 200);
  const audit = mcr.ctx.audit.list({ limit: 5, action: "gc" });
  assert.equal(audit.length, 1, "the dry run is not audited as a collection");
});

/** An image manifest pushed by digest only (untagged) with its blobs, and a push token. */
async function untaggedChild(repo: string) {
  const tok = await c.token(mcias.adminUsername, mcias.adminPassword, [
    `repository:${repo}:pull,push`,
  ]);
  const child = buildImage([blobOf(randomBytes(2000))]);
  for (const b of [child.config, ...child.layers])
    assert.equal((await pushBlob(c, tok, repo, b.data, b.digest)).status, 201);
  const first = await pushManifest(c, tok, repo, child.digest, child.manifest, OCI_MANIFEST);
  assert.equal(first.status, 201);
  return { tok, child };
}

test("a manifest pushed again by digest counts as new: GC between a child's push and its index's keeps it", async () => {
  const repo = "gc/multi";
  const { tok, child } = await untaggedChild(repo);
  // Later (past the grace period, with the manifest untagged all along) a client pushes an
  // index holding it: the child again by digest, then the index, and a GC runs in between.
  const realNow = mcr.ctx.now;
  mcr.ctx.now = () => Date.now() + 60_000;
  try {
    const again = await pushManifest(c, tok, repo, child.digest, child.manifest, OCI_MANIFEST);
    assert.equal(again.status, 201);
    const done = await gc(false);
    assert.ok(
      !done.manifests.some((m) => m.digest === child.digest),
      "the child just pushed again is kept",
    );
    const index = buildIndex([{ image: child, arch: "amd64" }]);
    const put = await pushManifest(c, tok, repo, "v1", index, OCI_INDEX);
    assert.equal(put.status, 201, put.body.toString());
  } finally {
    mcr.ctx.now = realNow;
  }
});

test("a manifest checked by digest (HEAD) is kept: GC between the check and the index's push", async () => {
  const repo = "gc/multi-head";
  const { tok, child } = await untaggedChild(repo);
  // Past the grace period, a client pushing an index (containerd's pusher) finds the child with
  // a HEAD, and its blobs likewise, so it pushes only the index; a GC runs in between.
  const realNow = mcr.ctx.now;
  mcr.ctx.now = () => Date.now() + 60_000;
  try {
    const head = (what: string) => c.req("HEAD", `/v2/${repo}/${what}`, { token: tok });
    assert.equal((await head(`manifests/${child.digest}`)).status, 200);
    for (const b of [child.config, ...child.layers])
      assert.equal((await head(`blobs/${b.digest}`)).status, 200);
    await gc(false);
    const index = buildIndex([{ image: child, arch: "amd64" }]);
    const put = await pushManifest(c, tok, repo, "v1", index, OCI_INDEX);
    assert.equal(put.status, 201, put.body.toString());
  } finally {
    mcr.ctx.now = realNow;
  }
});

test("a blob file a crash left without its row is collected once past the grace period", async () => {
  const repo = "gc/orphan";
  const tok = await c.token(mcias.adminUsername, mcias.adminPassword, [
    `repository:${repo}:pull,push`,
  ]);
  const b = blobOf(randomBytes(50_000));
  assert.equal((await pushBlob(c, tok, repo, b.data, b.digest)).status, 201);
  // A collection deleted the blob's row, then the process died before removing the file.
  mcr.ctx.q.db.prepare("DELETE FROM blobs WHERE digest = ?").run(b.digest);
  assert.ok(onDisk(b.digest));
  const realNow = mcr.ctx.now;
  mcr.ctx.now = () => Date.now() + 60_000;
  try {
    const dry = await gc(true);
    assert.ok(
      dry.blobs.some((x) => x.digest === b.digest),
      "the dry run reports the file",
    );
    assert.ok(onDisk(b.digest), "a dry run removes nothing");
    const done = await gc(false);
    assert.ok(done.blobs.some((x) => x.digest === b.digest));
    assert.ok(!onDisk(b.digest), "the file without a row is gone");
  } finally {
    mcr.ctx.now = realNow;
  }
});
