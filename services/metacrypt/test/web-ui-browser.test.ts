// Debian Chromium (playwright-core) against a real metacrypt and a real MCIAS: unseal from the
// public form while sealed, SSO sign-in, the status page, the certificate inventory searched by
// name and a certificate revoked (the API then reports it revoked), a policy rule added and
// explained (the deciding rule named), transit, SSH CA, mounts and audit pages, a user without
// admin refused the policies page, and seal. Each page is checked at 390 and 1280 px for
// horizontal overflow and accessibility; screenshots go to .artifacts/screenshots/.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkPageLayout, launchBrowser, ssoSignIn, textOf } from "@metacircular/testkit";
import { PASSWORD, setupCa } from "./helpers/metacrypt.ts";
import { startWebStack, USER_PASSWORD } from "./helpers/web-stack.ts";

const h = (r: { headers(): Record<string, string> }, name: string) => r.headers()[name] ?? "";

test("web UI: unseal, sign-in, inventory search and revoke, policy explain, seal", async (t) => {
  const s = await startWebStack(t);
  const init = await s.admin("POST", "/v1/sys/init", { password: PASSWORD });
  assert.equal(init.status, 201);

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.newPage();

  // Unseal from the public form (no session), a wrong password first.
  await page.goto(`${s.url}/unseal`);
  await checkPageLayout(page, "metacrypt-unseal");
  await page.fill("#f-password", "not the password at all");
  await page.click("#unseal button");
  assert.match(await textOf(page.locator("#error")), /invalid_unseal_secret/);
  await page.fill("#f-password", PASSWORD);
  await page.click("#unseal button");
  await page.locator("#unsealed").waitFor();
  assert.equal((await s.admin("GET", "/v1/sys/status")).json.sealed, false);

  await setupCa(s.admin);
  for (const n of ["alpha", "beta", "gamma"])
    await s.admin("POST", "/v1/engine/request", {
      mount: "pki",
      operation: "issue",
      data: { profile: "svc", common_name: `${n}.svc.mcp.metacircular.net` },
    });
  await s.admin("POST", "/v1/mounts", { name: "transit", type: "transit" });
  await s.admin("POST", "/v1/engine/request", {
    mount: "transit",
    operation: "create-key",
    data: { name: "payments" },
  });
  await s.admin("POST", "/v1/mounts", { name: "ssh", type: "ssh-ca" });
  await s.admin("POST", "/v1/engine/request", { mount: "ssh", operation: "init", data: {} });

  await ssoSignIn(page, s.url, s.mcias.url, s.mcias.adminUsername, s.mcias.adminPassword);
  assert.match(await textOf(page.locator("#state")), /unsealed/);
  await checkPageLayout(page, "metacrypt-status");

  // CSRF: a signed-in POST without the token is refused; the page has a strict CSP; the kit's
  // files keep their immutable caching.
  const noToken = await page.request.post(`${s.url}/seal`, { form: { x: "1" } });
  assert.equal(noToken.status(), 403);
  assert.match(await noToken.text(), /csrf_invalid/);
  assert.equal(
    h(await page.request.get(`${s.url}/`), "content-security-policy").includes(
      "default-src 'none'",
    ),
    true,
  );
  const css = await page.locator('link[rel="stylesheet"]').first().getAttribute("href");
  assert.match(h(await page.request.get(`${s.url}${css}`), "cache-control"), /immutable/);

  // Inventory: search by name (htmx swaps the results), then revoke.
  await page.goto(`${s.url}/certs`);
  assert.equal(await page.locator("#certs tbody tr").count(), 3);
  await page.fill("#f-name", "beta");
  await page.click("#cert-search button");
  await page.waitForURL(/name=beta/);
  await page.waitForFunction('document.querySelectorAll("#certs tbody tr").length === 1');
  const row = page.locator("#certs tbody tr");
  assert.match(await textOf(row), /beta\.svc\.mcp\.metacircular\.net/);
  const serial = (await textOf(row.locator("code").first())).trim();
  await checkPageLayout(page, "metacrypt-certs");
  await Promise.all([page.waitForURL(/done=revoked/), row.locator(".revoke button").click()]);
  assert.match(await textOf(page.locator("#notice")), /revoked/);
  assert.match(await textOf(page.locator("#certs tbody tr")), /revoked/);
  const rec = await s.admin("POST", "/v1/engine/request", {
    mount: "pki",
    operation: "get-cert",
    data: { serial },
  });
  assert.ok(rec.json.certificate.revoked_at, "the API sees the revocation");

  // Policies: add a rule through the form, then explain a request it decides.
  await page.goto(`${s.url}/policies`);
  await page.fill("#f-id", "alice-issue");
  await page.fill("#f-subject", "user:alice");
  await page.locator("#f-mount").fill("pki");
  await page.locator("#f-operations").fill("issue");
  await page.locator("#f-names").fill("*.svc.mcp.metacircular.net");
  await Promise.all([page.waitForURL(/done=rule-added/), page.click("#add-rule button")]);
  assert.match(await textOf(page.locator("#rules")), /alice-issue/);
  const explain = page.locator("#explain-form");
  await explain.locator("#x-username").fill("alice");
  await explain.locator("#x-mount").fill("pki");
  await explain.locator("#x-operation").fill("issue");
  await explain.locator("#x-names").fill("web.svc.mcp.metacircular.net");
  await Promise.all([page.waitForURL(/operation=issue/), explain.locator("button").click()]);
  assert.equal(await textOf(page.locator("#decision-rule")), "alice-issue");
  assert.match(await textOf(page.locator("#decision-effect")), /allow/);
  await checkPageLayout(page, "metacrypt-policies");

  await page.goto(`${s.url}/transit?mount=transit&key=payments`);
  await Promise.all([page.waitForURL(/done=rotated/), page.click("#rotate button")]);
  assert.equal(await textOf(page.locator("#latest")), "2");
  await checkPageLayout(page, "metacrypt-transit");
  await page.goto(`${s.url}/ssh`);
  assert.match(await textOf(page.locator("#ca-pub")), /^ssh-ed25519 /);
  await checkPageLayout(page, "metacrypt-ssh");
  await page.goto(`${s.url}/mounts`);
  assert.equal(await page.locator("#mounts tbody tr").count(), 3);
  await checkPageLayout(page, "metacrypt-mounts");
  await page.goto(`${s.url}/audit`);
  assert.match(await textOf(page.locator("#audit")), /revoke/);
  await checkPageLayout(page, "metacrypt-audit");

  // A user without admin: no policies page.
  const other = await browser.newPage();
  await ssoSignIn(other, s.url, s.mcias.url, "alice", USER_PASSWORD);
  assert.equal(await other.locator('a[href="/policies"]').count(), 0);
  const refused = await other.goto(`${s.url}/policies`);
  assert.equal(refused?.status(), 403);

  // Seal from the status page: engine pages then say sealed.
  await page.goto(`${s.url}/`);
  await page.click("#seal button");
  assert.match(await textOf(page.locator("#state")), /sealed/);
  const sealed = await page.goto(`${s.url}/certs`);
  assert.equal(sealed?.status(), 503);
  assert.match(await textOf(page.locator("#error")), /sealed/);
});
