// Debian Chromium (playwright-core) against a real MCR web UI (its own plain-HTTP loopback
// listener) and a real MCIAS: images pushed by real skopeo (a two-layer image, a two-platform
// index, an image alice may not pull) and a signature artifact referring to the image; alice
// signs in through MCIAS SSO, sees only what she may pull, the tags, manifests, layers with
// sizes, the index's platforms and the referrer, deletes a tag (the policy lets her), is
// refused the admin pages and a POST without the CSRF token; the admin adds and deletes a
// policy rule and reads the audit log. Every page is checked at 390 and 1280 px for horizontal
// overflow and accessibility; screenshots go to the artifacts folder.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkPageLayout, freePort, launchBrowser, ssoSignIn, textOf } from "@metacircular/testkit";
import { clientEnv } from "./helpers/clients.ts";
import { blobOf, buildImage, OCI_MANIFEST, sha256, tarLayer } from "./helpers/images.ts";
import { pushBlob, pushManifest } from "./helpers/registry-client.ts";
import { copyImageIn, copyTwoArchIndexIn } from "./helpers/seed.ts";
import { startStack } from "./helpers/stack.ts";

const ALICE_PW = "alice-password-123";

/** A signature artifact (empty config) whose subject is `subject`, pushed by digest. */
async function pushSignature(
  s: Awaited<ReturnType<typeof startStack>>,
  repo: string,
  subject: { digest: string; manifest: Buffer },
) {
  const token = await s.adminToken(`repository:${repo}:pull,push`);
  const empty = blobOf(Buffer.from("{}"));
  assert.equal((await pushBlob(s.reg, token, repo, empty.data, empty.digest)).status, 201);
  const sig = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: "application/vnd.example.signature",
      config: { mediaType: "application/vnd.oci.empty.v1+json", digest: empty.digest, size: 2 },
      layers: [],
      subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
    }),
  );
  assert.equal(
    (await pushManifest(s.reg, token, repo, sha256(sig), sig, OCI_MANIFEST)).status,
    201,
  );
}

test("browser: SSO, filtered repositories, tags, layers, index, referrers, delete, policies, audit", async (t) => {
  const port = await freePort();
  const web = `http://127.0.0.1:${port}`;
  const s = await startStack({
    web: { listen: `127.0.0.1:${port}`, clientId: "mcr-web", redirectUri: `${web}/sso/callback` },
  });
  t.after(() => s.stop());
  await s.mcias.createAccount("alice", { roles: ["user"], password: ALICE_PW });
  s.mcr.policy.create({
    priority: 10,
    repository: "team/**",
    subject_kind: "role",
    subject: "user",
    actions: ["pull"],
    effect: "allow",
  });
  s.mcr.policy.create({
    priority: 20,
    repository: "team/**",
    subject_kind: "user",
    subject: "alice",
    actions: ["delete"],
    effect: "allow",
  });

  const env = clientEnv(s.tmp.join("client"), s.mcr.certDir);
  const img = buildImage([tarLayer(300_000), tarLayer(40_000)]);
  assert.equal((await copyImageIn(env, s.mcr.host, "team/app:v1", img, s.creds)).code, 0);
  assert.equal((await copyImageIn(env, s.mcr.host, "private/x:v1", img, s.creds)).code, 0);
  assert.equal(
    (await copyTwoArchIndexIn(env, s.mcr.host, "team/multi:latest", s.creds)).result.code,
    0,
  );
  await pushSignature(s, "team/app", img);

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.newPage();
  await ssoSignIn(page, web, s.mcias.url, "alice", ALICE_PW);
  const repos = page.locator("#repositories");
  assert.match(await textOf(repos), /team\/app/);
  assert.match(await textOf(repos), /team\/multi/);
  assert.doesNotMatch(await textOf(repos), /private/);
  await checkPageLayout(page, "mcr-repositories");

  await page.click("text=team/app");
  assert.match(await textOf(page.locator("#tag-table")), /v1/);
  assert.equal(await page.locator("#manifest-table tbody tr").count(), 2, "image and signature");
  await checkPageLayout(page, "mcr-repository");

  await page.click(`#tag-table a[title="${img.digest}"]`);
  assert.equal(await textOf(page.locator("#digest")), img.digest);
  const layers = page.locator("#layer-table tbody tr");
  assert.equal(await layers.count(), 3, "config and two layers");
  assert.match(await textOf(layers.nth(1)), new RegExp(`${img.layers[0]!.digest}.*KiB`));
  assert.match(
    await textOf(page.locator("#referrer-table")),
    /application\/vnd\.example\.signature/,
  );
  await checkPageLayout(page, "mcr-manifest");

  await page.goto(`${web}/manifest?name=team/multi&ref=latest`);
  const children = await textOf(page.locator("#child-table"));
  assert.match(children, /linux\/amd64/);
  assert.match(children, /linux\/arm64/);
  await checkPageLayout(page, "mcr-index");

  await page.goto(`${web}/repository?name=team/app`);
  await Promise.all([
    page.waitForURL(`${web}/repository?name=team%2Fapp&done=tag-deleted`),
    page.click('button[aria-label="Delete tag v1"]'),
  ]);
  assert.equal(await textOf(page.locator("#notice")), "Tag deleted.");
  assert.equal(await page.locator("#tag-table").count(), 0);
  assert.deepEqual(
    s.mcr.admin.tags({ username: "admin", accountType: "human", roles: ["admin"] }, "team/app"),
    [],
  );

  const forged = await page.request.post(`${web}/repository/delete-manifest`, {
    form: { name: "team/app", digest: img.digest },
    maxRedirects: 0,
  });
  assert.equal(forged.status(), 403, "no CSRF token, no deletion");
  assert.equal((await page.goto(`${web}/policies`))?.status(), 403);
  assert.match(await textOf(page.locator("#error")), /admin/);
  await page.goto(`${web}/manifest?name=private/x&ref=v1`);
  assert.match(await textOf(page.locator("#error")), /policy does not allow pull/);

  await page.goto(`${web}/`);
  await Promise.all([page.waitForURL(`${web}/login`), page.click("#sign-out button")]);
  await ssoSignIn(page, web, s.mcias.url, s.mcias.adminUsername, s.mcias.adminPassword);
  assert.match(await textOf(repos), /private\/x/, "an admin sees every repository");
  await page.click("text=Policies");
  await page.fill("#f-priority", "30");
  await page.fill("#f-repository", "ci/**");
  await page.selectOption("#f-subject_kind", "system");
  await page.fill("#f-subject", "ci-bot");
  await page.check('input[name="actions"][value="push"]');
  await Promise.all([
    page.waitForURL(`${web}/policies?done=rule-added`),
    page.click("#add-rule button[type=submit]"),
  ]);
  assert.match(await textOf(page.locator("#rules")), /system:ci-bot/);
  await checkPageLayout(page, "mcr-policies");
  await page.fill("#f-repository", "Bad Pattern");
  await page.click("#add-rule button[type=submit]");
  assert.match(await textOf(page.locator("#f-repository-error")), /repository pattern/);
  const ruleId = s.mcr.policy.list().find((r) => r.subject === "ci-bot")!.id;
  await page.goto(`${web}/policies`);
  await Promise.all([
    page.waitForURL(`${web}/policies?done=rule-deleted`),
    page.click(`button[aria-label="Delete rule ${ruleId}"]`),
  ]);
  assert.doesNotMatch(await textOf(page.locator("#rules")), /ci-bot/);

  await page.click("text=Audit");
  const audit = await textOf(page.locator("#audit"));
  for (const action of ["push", "delete_tag", "policy_create", "policy_delete"])
    assert.match(audit, new RegExp(action));
  await checkPageLayout(page, "mcr-audit");
  await page.goto(`${web}/audit?action=delete_tag`);
  assert.equal(await page.locator("#audit tbody tr").count(), 1);
});
