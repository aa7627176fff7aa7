// The MCIAS web UI in Debian Chromium against a real mcias process: sign in, enrol TOTP,
// sign out and back in with a code; an admin account flow; and a phone viewport without
// horizontal overflow; a passkey added with Chrome's virtual authenticator signs in without a
// password. No Content-Security-Policy violations are allowed on any page. WebAuthn needs a
// secure context, so the UI is reached as http://localhost on a port chosen up front.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { freePort, launchBrowser, type MciasInstance, startMcias } from "@metacircular/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { totpAt } from "../services/mcias/src/totp/totp.ts";

let m: MciasInstance;
let browser: Browser;
let origin: string;

before(async () => {
  const port = await freePort();
  origin = `http://localhost:${port}`;
  m = await startMcias({
    env: { PORT: `127.0.0.1:${port}` },
    extraToml: [
      "[webauthn]",
      'rp_id = "localhost"',
      `origins = ["${origin}"]`,
      "[policy]",
      'default = "allow"',
    ].join("\n"),
  });
  await m.createAccount("erin", { password: "erin-password-123" });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await m?.stop();
});

/** A page that records CSP violations and script errors. */
async function openPage(ctx: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content.Security.Policy|Refused/i.test(msg.text()))
      problems.push(msg.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  return { page, problems };
}

async function signIn(page: Page, username: string, password: string, totp = "") {
  await page.goto(`${origin}/ui/`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  if (totp) await page.getByLabel(/TOTP code/).fill(totp);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("sign in, enrol TOTP, sign out, sign back in with a TOTP code", async () => {
  const ctx = await browser.newContext();
  const { page, problems } = await openPage(ctx);
  await signIn(page, "erin", "erin-password-123");
  await page.getByRole("heading", { name: "My account" }).waitFor();
  assert.equal(await page.locator("#me-username").textContent(), "erin");
  assert.equal(await page.evaluate<string>("typeof window.htmx"), "object");

  await page.getByRole("button", { name: "Set up TOTP" }).click();
  await page.getByRole("heading", { name: "Set up TOTP" }).waitFor();
  const secret = (await page.locator("#totp-secret").textContent()) ?? "";
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  await page.getByLabel("Code from the app").fill(totpAt(secret, Date.now()));
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("heading", { name: "TOTP enabled" }).waitFor();
  assert.equal(await page.locator("#recovery-codes li").count(), 10);

  await page.getByRole("link", { name: "Back to my account" }).click();
  await page.locator("#totp-status", { hasText: "TOTP is enabled." }).waitFor();
  await page.getByRole("button", { name: /Sign out/ }).click();
  await page.locator("#notice", { hasText: "You are signed out." }).waitFor();

  await signIn(page, "erin", "erin-password-123");
  await page.locator("#error", { hasText: "TOTP code is required" }).waitFor();
  await signIn(page, "erin", "erin-password-123", totpAt(secret, Date.now() + 30_000));
  await page.getByRole("heading", { name: "My account" }).waitFor();
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("an admin creates and disables an account in the browser", async () => {
  const ctx = await browser.newContext();
  const { page, problems } = await openPage(ctx);
  await signIn(page, m.adminUsername, m.adminPassword);
  await page.getByRole("heading", { name: "My account" }).waitFor();
  await page.getByRole("link", { name: "Accounts" }).click();
  await page.getByRole("heading", { name: "Accounts", exact: true }).waitFor();
  await page.getByLabel("Username").fill("frank");
  await page
    .getByLabel("Initial password (optional; or issue an enrolment link later)")
    .fill("frank-password-123");
  await page.getByRole("button", { name: "Create" }).click();
  await page.getByRole("heading", { name: "Account frank" }).waitFor();
  assert.equal(await page.locator("#account-status").textContent(), "active");
  await page.getByRole("button", { name: "Disable account" }).click();
  await page.locator("#account-status", { hasText: "disabled" }).waitFor();
  const res = await m.api("GET", "/v1/accounts/frank");
  assert.equal(((await res.json()) as { status: string }).status, "disabled");
  assert.deepEqual(problems, []);
  await ctx.close();
});

const PHONE = { width: 390, height: 844 };

test("phone viewport: the main pages fit the screen width", async () => {
  const ctx = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const { page, problems } = await openPage(ctx);
  const fits = async (path: string) => {
    await page.goto(`${origin}${path}`);
    await page.locator("h1").waitFor();
    const { scroll, inner } = await page.evaluate<{ scroll: number; inner: number }>(
      "({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })",
    );
    // A mobile browser widens the layout viewport to overflowing content, so compare with the
    // configured width as well as innerWidth.
    assert.ok(scroll <= inner, `${path}: scrollWidth ${scroll} > innerWidth ${inner}`);
    assert.ok(scroll <= PHONE.width, `${path}: scrollWidth ${scroll} > ${PHONE.width}`);
  };
  await fits("/ui/login");
  await signIn(page, m.adminUsername, m.adminPassword);
  await page.getByRole("heading", { name: "My account" }).waitFor();
  for (const path of [
    "/ui/",
    "/ui/admin/accounts",
    "/ui/admin/accounts/erin",
    "/ui/admin/policies",
    "/ui/admin/policies/1",
    "/ui/admin/audit",
    "/ui/admin/sso-clients",
  ])
    await fits(path);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("add a passkey with a virtual authenticator, then sign in with only the passkey", async () => {
  const ctx = await browser.newContext();
  const { page, problems } = await openPage(ctx);
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await m.createAccount("hana", { password: "hana-password-123" });
  await signIn(page, "hana", "hana-password-123");
  await page.getByRole("heading", { name: "My account" }).waitFor();
  await page.getByLabel("Name for a new passkey").fill("virtual key");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.locator("#notice", { hasText: "The passkey was added." }).waitFor();
  assert.equal(await page.locator("#passkeys td").first().textContent(), "virtual key");

  await page.getByRole("button", { name: /Sign out/ }).click();
  await page.locator("#notice", { hasText: "You are signed out." }).waitFor();
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await page.getByRole("heading", { name: "My account" }).waitFor();
  assert.equal(await page.locator("#me-username").textContent(), "hana");

  // Revoked elsewhere: the next (htmx-boosted) click lands on a fully loaded login page.
  const token = (await ctx.cookies()).find((x) => x.name === "mcias_ui")?.value;
  const me = (await (await m.api("GET", "/v1/auth/me", undefined, token)).json()) as {
    token_id: string;
  };
  assert.equal((await m.api("POST", "/v1/token/revoke", { token_id: me.token_id })).status, 200);
  await page.getByRole("link", { name: "My account" }).click();
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await page.getByRole("heading", { name: "My account" }).waitFor();
  assert.deepEqual(problems, []);
  await ctx.close();
});
