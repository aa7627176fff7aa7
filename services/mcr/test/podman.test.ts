// Real podman (rootful, its own storage and settings) against the real registry over TLS:
// log in, pull a multi-layer image that skopeo pushed, push it to another repository (its
// layers are mounted from the first, not uploaded again), pull an image index, and a system
// account pushing with an MCIAS token as its password.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { MciasInstance, TempDir } from "@metacircular/testkit";
import { type ClientEnv, clientEnv, podman } from "./helpers/clients.ts";
import { buildImage, tarLayer } from "./helpers/images.ts";
import type { TestMcr } from "./helpers/mcr.ts";
import { copyImageIn, copyTwoArchIndexIn } from "./helpers/seed.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

let stack: Stack;
let mcias: MciasInstance;
let mcr: TestMcr;
let tmp: TempDir;
let env: ClientEnv;
let creds: string;

before(async () => {
  stack = await startStack();
  ({ mcias, mcr, tmp, creds } = stack);
  env = clientEnv(tmp.join("client"), mcr.certDir);
});
after(async () => {
  if (env) await podman(env, ["rmi", "--all", "--force"]).catch(() => undefined);
  await stack?.stop();
});

const mounts = () => mcr.ctx.audit.list({ limit: 1000, action: "mount" }).map((e) => e.reference);

test("podman login, pull, and push to another repository by mount", async () => {
  const img = buildImage([tarLayer(200_000, "a.bin"), tarLayer(50_000, "b.bin")]);
  const up = await copyImageIn(env, mcr.host, "base/image:v1", img, creds);
  assert.equal(up.code, 0, up.stderr);

  const login = await podman(env, [
    "login",
    "--cert-dir",
    mcr.certDir,
    "-u",
    mcias.adminUsername,
    "-p",
    mcias.adminPassword,
    mcr.host,
  ]);
  assert.equal(login.code, 0, login.stderr);
  const pull = await podman(env, ["pull", "--cert-dir", mcr.certDir, `${mcr.host}/base/image:v1`]);
  assert.equal(pull.code, 0, pull.stderr);
  const tag = await podman(env, [
    "tag",
    `${mcr.host}/base/image:v1`,
    `${mcr.host}/derived/image:v2`,
  ]);
  assert.equal(tag.code, 0, tag.stderr);
  const before = mounts().length;
  const push = await podman(env, [
    "push",
    "--cert-dir",
    mcr.certDir,
    `${mcr.host}/derived/image:v2`,
  ]);
  assert.equal(push.code, 0, push.stderr);
  const mounted = mounts().slice(0, mounts().length - before);
  for (const l of img.layers) assert.ok(mounted.includes(l.digest), `layer ${l.digest} mounted`);
});

test("podman pulls an image index (its platform's image) and pushes a manifest list", async () => {
  const { amd, arm, result } = await copyTwoArchIndexIn(env, mcr.host, "multi/app:1", creds);
  assert.equal(result.code, 0, result.stderr);
  const pull = await podman(env, [
    "pull",
    "--cert-dir",
    mcr.certDir,
    "--arch",
    "arm64",
    `${mcr.host}/multi/app:1`,
  ]);
  assert.equal(pull.code, 0, pull.stderr);
  const inspect = await podman(env, [
    "image",
    "inspect",
    "--format",
    "{{.Architecture}}",
    `${mcr.host}/multi/app:1`,
  ]);
  assert.equal(inspect.stdout.trim(), "arm64");

  // podman builds its own manifest list from both images in the registry and pushes it.
  const list = "localhost/mcr-test-list:1";
  assert.equal((await podman(env, ["manifest", "create", list])).code, 0);
  for (const img of [amd, arm]) {
    const add = await podman(env, [
      "manifest",
      "add",
      "--cert-dir",
      mcr.certDir,
      list,
      `docker://${mcr.host}/multi/app@${img.digest}`,
    ]);
    assert.equal(add.code, 0, add.stderr);
  }
  const push = await podman(env, [
    "manifest",
    "push",
    "--all",
    "--cert-dir",
    mcr.certDir,
    list,
    `docker://${mcr.host}/multi/pushed:1`,
  ]);
  assert.equal(push.code, 0, push.stderr);
  const tok = await stack.adminToken("repository:multi/pushed:pull");
  const got = await stack.reg.req("GET", "/v2/multi/pushed/manifests/1", { token: tok });
  assert.equal(got.status, 200);
  const pushed = got.json() as { manifests: Array<{ digest: string }> };
  assert.deepEqual(pushed.manifests.map((m) => m.digest).sort(), [amd.digest, arm.digest].sort());
});

test("a system account pushes with an MCIAS token as its password", async () => {
  await mcias.createAccount("ci-bot", { type: "system" });
  const token = await mcias.issueSystemToken("ci-bot", "mcr");
  mcr.policy.create({
    priority: 10,
    repository: "ci/**",
    subject_kind: "system",
    subject: "ci-bot",
    actions: ["pull", "push"],
    effect: "allow",
  });
  const push = await podman(env, [
    "push",
    "--cert-dir",
    mcr.certDir,
    "--creds",
    `ci-bot:${token}`,
    `${mcr.host}/derived/image:v2`,
    `docker://${mcr.host}/ci/built:1`,
  ]);
  assert.equal(push.code, 0, push.stderr);
  const pushes = mcr.ctx.audit.list({ limit: 10, action: "push", repository: "ci/built" });
  assert.equal(pushes[0]?.actor, "ci-bot");
});
