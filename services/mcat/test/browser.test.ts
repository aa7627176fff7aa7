// Debian Chromium (playwright-core) against a real mcat and a real MCIAS: SSO sign-in as the
// administrator; trace three logins (allow by role, deny by tag, the default); a dry run of a
// candidate that flips one recorded login; apply it and watch MCIAS enforce it on a real login;
// roll back and watch the login refused again. Every page is checked at 390 and 1280 px for
// horizontal overflow and accessibility, with a screenshot of each (.artifacts/screenshots/).
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkPageLayout, launchBrowser } from "@metacircular/testkit";
import type { Page } from "playwright-core";
import { startStack } from "./helpers/stack.ts";

const PASSWORD = "alice-password-123";

async function login(url: string, user: string, password: string, service: string) {
  const r = await fetch(`${url}/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: user, password, service_name: service }),
  });
  await r.body?.cancel();
  return r.status;
}

async function trace(page: Page, user: string, service: string, tags: string): Promise<string> {
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="service_name"]', service);
  await page.fill('input[name="tags"]', tags);
  await Promise.all([page.waitForLoadState("load"), page.click('form[action="/trace"] button')]);
  return `${await page.textContent("#decision")} | ${await page.textContent("#decided-by")}`;
}

test("browser: trace, dry run flips a past login, apply enforced by MCIAS, rollback", async (t) => {
  const s = await startStack(t, { policyDefault: "deny" });
  const m = s.mcias;
  for (const rule of [
    {
      priority: 10,
      effect: "deny",
      roles: ["user"],
      tags: ["env:prod"],
      description: "no users on prod",
    },
    { priority: 20, effect: "allow", roles: ["admin"], description: "admins everywhere" },
    {
      priority: 30,
      effect: "allow",
      roles: ["user"],
      service_names: ["mcq"],
      description: "users read",
    },
  ])
    assert.equal((await m.api("POST", "/v1/policies", rule)).status, 201);
  await m.createAccount("alice", { type: "human", roles: ["user"], password: PASSWORD });
  // The recorded past: alice signed in to mcq (allowed) and was refused at mcr (default).
  assert.equal(await login(m.url, "alice", PASSWORD, "mcq"), 200);
  assert.equal(await login(m.url, "alice", PASSWORD, "mcr"), 403);

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`${s.url}/`);
  await page.waitForURL(`${s.url}/login`);
  await page.click("#sso-sign-in");
  await page.waitForURL(`${m.url}/sso/authorize?**`);
  await page.fill('input[name="username"]', m.adminUsername);
  await page.fill('input[name="password"]', m.adminPassword);
  await Promise.all([page.waitForURL(`${s.url}/`), page.click('button[type="submit"]')]);
  assert.match(
    (await page.textContent("#live-rules")) ?? "",
    /no users on prod.*admins everywhere.*users read/s,
  );
  await checkPageLayout(page, "mcat-policy");

  await page.goto(`${s.url}/trace`);
  assert.match(await trace(page, m.adminUsername, "mcns", ""), /allow.*rule #\d+/s);
  assert.match(await trace(page, "alice", "mcq", "env:prod"), /deny.*rule #\d+/s);
  assert.match(await trace(page, "alice", "metacrypt", ""), /deny.*the default \(deny\)/s);
  assert.match(
    (await page.textContent("#trace-steps")) ?? "",
    /applies to mcq; the login is for metacrypt/,
  );
  await checkPageLayout(page, "mcat-trace");

  // Candidate: users may sign in to mcr as well.
  await page.goto(`${s.url}/candidate`);
  const rules = JSON.parse(await page.inputValue('textarea[name="rules"]')) as {
    service_names: string[];
    description: string;
  }[];
  rules.find((r) => r.description === "users read")!.service_names = ["mcq", "mcr"];
  await page.fill('textarea[name="rules"]', JSON.stringify(rules, null, 2));
  await Promise.all([page.waitForLoadState("load"), page.click('button[value="dry-run"]')]);
  assert.equal((await page.textContent("#flips"))?.trim(), "1");
  const flip = page.locator("#dry-run-changes tbody tr");
  assert.equal(await flip.count(), 1);
  assert.match((await flip.textContent()) ?? "", /alice.*mcr.*deny.*allow/s);
  await checkPageLayout(page, "mcat-dry-run");

  const before = (await (await m.api("GET", "/v1/policy/versions")).json()) as { current: number };
  await Promise.all([page.waitForURL(`${s.url}/versions?**`), page.click('button[value="apply"]')]);
  assert.match(
    (await page.textContent("#applied")) ?? "",
    new RegExp(`version ${before.current + 1}`),
  );
  assert.equal(
    await login(m.url, "alice", PASSWORD, "mcr"),
    200,
    "MCIAS enforces the applied policy",
  );
  await checkPageLayout(page, "mcat-versions");

  await Promise.all([
    page.waitForURL(`${s.url}/versions?**`),
    page.click(`button:has-text("Roll back to v${before.current}")`),
  ]);
  assert.match((await page.textContent("#restored")) ?? "", /is live/);
  assert.equal(await login(m.url, "alice", PASSWORD, "mcr"), 403, "the rollback is enforced");

  await page.goto(`${s.url}/lint`);
  assert.ok((await page.locator("#findings tbody tr").count()) > 0);
  await checkPageLayout(page, "mcat-lint");
  // MCIAS's audit names the administrator, not MCAT's account, for the change.
  const audit = (await (await m.api("GET", "/v1/audit?event=policy_applied")).json()) as {
    events: { actor: string }[];
  };
  assert.equal(audit.events[0]?.actor, m.adminUsername);
});
