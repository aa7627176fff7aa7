// Debian Chromium (playwright-core) against a real metacrypt and a real MCIAS: unseal from the
// public form while sealed, SSO sign-in, the status page, the certificate inventory searched by
// name and a certificate revoked (the API then reports it revoked), a policy rule added and
// explained (the deciding rule named), transit, SSH CA, mounts and audit pages, a user without
// admin refused the policies page, and seal. Each page is checked at 390 and 1280 px for
// horizontal overflow and accessibility; screenshots go to .artifacts/screenshots/.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  accessibilityProblems,
  horizontalOverflow,
  launchBrowser,
  saveScreenshot,
} from "@metacircular/testkit";
import type { Locator, Page } from "playwright-core";
import { PASSWORD, setupCa } from "./helpers/metacrypt.ts";
import { startWebStack, USER_PASSWORD } from "./helpers/web-stack.ts";

const h = (r: { headers(): Record<string, string> }, name: string) => r.headers()[name] ?? "";

async function text(l: Locator): Promise<string> {
  return (await l.textContent()) ?? "";
}

async function checkLayout(page: Page, name: string): Promise<void> {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    assert.equal(await horizontalOverflow(page), 0, `${name} overflows at ${width}px`);
    assert.deepEqual(await accessibilityProblems(page), [], `${name} at ${width}px`);
    await saveScreenshot(page, `metacrypt-${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function signIn(page: Page, base: string, mciasUrl: string, user: string, pw: string) {
  await page.goto(`${base}/`);
  await page.waitForURL(`${base}/login`);
  await page.click("#sso-sign-in");
  await page.waitForURL(`${mciasUrl}/sso/authorize?**`);
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', pw);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type="submit"]')]);
}

test("web UI: unseal, sign-in, inventory search and revoke, policy explain, seal", async (t) => {
  const s = await startWebStack(t);
  const init = await s.admin("POST", "/v1/sys/init", { password: PASSWORD });
  assert.equal(init.status, 201);

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.newPage();

  // Unseal from the public form (no session), a wrong password first.
  await page.goto(`${s.url}/unseal`);
  await checkLayout(page, "unseal");
  await page.fill("#f-password", "not the password at all");
  await page.click("#unseal button");
  assert.match(await text(page.locator("#error")), /invalid_unseal_secret/);
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

  await signIn(page, s.url, s.mcias.url, s.mcias.adminUsername, s.mcias.adminPassword);
  assert.match(await text(page.locator("#state")), /unsealed/);
  await checkLayout(page, "status");

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
  assert.match(await text(row), /beta\.svc\.mcp\.metacircular\.net/);
  const serial = (await text(row.locator("code").first())).trim();
  await checkLayout(page, "certs");
  await Promise.all([page.waitForURL(/done=revoked/), row.locator(".revoke button").click()]);
  assert.match(await text(page.locator("#notice")), /revoked/);
  assert.match(await text(page.locator("#certs tbody tr")), /revoked/);
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
  assert.match(await text(page.locator("#rules")), /alice-issue/);
  const explain = page.locator("#explain-form");
  await explain.locator("#x-username").fill("alice");
  await explain.locator("#x-mount").fill("pki");
  await explain.locator("#x-operation").fill("issue");
  await explain.locator("#x-names").fill("web.svc.mcp.metacircular.net");
  await Promise.all([page.waitForURL(/operation=issue/), explain.locator("button").click()]);
  assert.equal(await text(page.locator("#decision-rule")), "alice-issue");
  assert.match(await text(page.locator("#decision-effect")), /allow/);
  await checkLayout(page, "policies");

  await page.goto(`${s.url}/transit?mount=transit&key=payments`);
  await Promise.all([page.waitForURL(/done=rotated/), page.click("#rotate button")]);
  assert.equal(await text(page.locator("#latest")), "2");
  await checkLayout(page, "transit");
  await page.goto(`${s.url}/ssh`);
  assert.match(await text(page.locator("#ca-pub")), /^ssh-ed25519 /);
  await checkLayout(page, "ssh");
  await page.goto(`${s.url}/mounts`);
  assert.equal(await page.locator("#mounts tbody tr").count(), 3);
  await checkLayout(page, "mounts");
  await page.goto(`${s.url}/audit`);
  assert.match(await text(page.locator("#audit")), /revoke/);
  await checkLayout(page, "audit");

  // A user without admin: no policies page.
  const other = await browser.newPage();
  await signIn(other, s.url, s.mcias.url, "alice", USER_PASSWORD);
  assert.equal(await other.locator('a[href="/policies"]').count(), 0);
  const refused = await other.goto(`${s.url}/policies`);
  assert.equal(refused?.status(), 403);

  // Seal from the status page: engine pages then say sealed.
  await page.goto(`${s.url}/`);
  await page.click("#seal button");
  assert.match(await text(page.locator("#state")), /sealed/);
  const sealed = await page.goto(`${s.url}/certs`);
  assert.equal(sealed?.status(), 503);
  assert.match(await text(page.locator("#error")), /sealed/);
});
