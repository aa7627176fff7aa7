// Real skopeo against the real registry over TLS with token auth: a multi-layer image and a
// two-platform image index copied from OCI layouts built here, and back again, byte for byte.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { TempDir } from "@metacircular/testkit";
import { type ClientEnv, clientEnv, skopeo, skopeoCopy } from "./helpers/clients.ts";
import { buildImage, OCI_MANIFEST, sha256, tarLayer, writeOciLayout } from "./helpers/images.ts";
import type { TestMcr } from "./helpers/mcr.ts";
import { copyTwoArchIndexIn } from "./helpers/seed.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

let stack: Stack;
let mcr: TestMcr;
let tmp: TempDir;
let env: ClientEnv;
let creds: string;

before(async () => {
  stack = await startStack();
  ({ mcr, tmp, creds } = stack);
  env = clientEnv(tmp.join("client"), mcr.certDir);
});
after(() => stack?.stop());

test("skopeo copies a multi-layer image in and out unchanged", async () => {
  const img = buildImage([tarLayer(300_000), tarLayer(70_000), tarLayer(5_000)]);
  const layout = tmp.join("layout-image");
  writeOciLayout(layout, [img], [{ name: "v1", bytes: img.manifest, mediaType: OCI_MANIFEST }]);
  const up = await skopeoCopy(
    env,
    `oci:${layout}:v1`,
    `docker://${mcr.host}/team/app/server:v1`,
    creds,
  );
  assert.equal(up.code, 0, up.stderr);
  const out = tmp.join("out-image");
  const down = await skopeoCopy(
    env,
    `docker://${mcr.host}/team/app/server:v1`,
    `oci:${out}:v1`,
    creds,
  );
  assert.equal(down.code, 0, down.stderr);
  const index = JSON.parse(readFileSync(join(out, "index.json"), "utf8"));
  assert.equal(index.manifests[0].digest, img.digest, "the manifest came back byte for byte");
  for (const l of img.layers)
    assert.deepEqual(readFileSync(join(out, "blobs/sha256", l.digest.slice(7))), l.data);
  const tags = await skopeo(env, [
    "list-tags",
    "--cert-dir",
    mcr.certDir,
    "--creds",
    creds,
    `docker://${mcr.host}/team/app/server`,
  ]);
  assert.equal(tags.code, 0, tags.stderr);
  assert.deepEqual(JSON.parse(tags.stdout).Tags, ["v1"]);
});

test("skopeo copies an image index with --all and inspects it", async () => {
  const { arm, index, result } = await copyTwoArchIndexIn(env, mcr.host, "multi/arch:1.0", creds);
  assert.equal(result.code, 0, result.stderr);
  const raw = await skopeo(env, [
    "inspect",
    "--raw",
    "--cert-dir",
    mcr.certDir,
    "--creds",
    creds,
    `docker://${mcr.host}/multi/arch:1.0`,
  ]);
  assert.equal(raw.code, 0, raw.stderr);
  assert.equal(sha256(Buffer.from(raw.stdout)), sha256(index));
  const tok = await stack.adminToken("repository:multi/arch:pull");
  const child = await stack.reg.req("GET", `/v2/multi/arch/manifests/${arm.digest}`, {
    token: tok,
    headers: { Accept: OCI_MANIFEST },
  });
  assert.equal(child.status, 200);
  assert.deepEqual(child.body, arm.manifest);
});
