// The MCIAS web UI in Debian Chromium against a real mcias process: sign in, enrol TOTP,
// sign out and back in with a code; an admin account flow; every page at 390 px and 1280 px
// without horizontal overflow, with a readable audit detail, empty states and a passing in-page
// accessibility check (screenshots: <artifacts>/screenshots/mcias-<page>-<width>.png, README
// "Screenshots"); a passkey added with Chrome's virtual authenticator signs in without a
// password. No Content-Security-Policy violations are allowed on any page. WebAuthn needs a
// secure context, so the UI is reached as http://localhost on a port chosen up front.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { totpAt } from "@metacircular/mcias/totp";
import {
  accessibilityProblems,
  addVirtualAuthenticator,
  freePort,
  horizontalOverflow,
  launchBrowser,
  type MciasInstance,
  saveScreenshot,
  startMcias,
} from "@metacircular/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";

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

const VIEWPORTS = [
  { width: 390, height: 844, mobile: true },
  { width: 1280, height: 900, mobile: false },
] as const;

/** Rendered lines of an element's text versus its source lines, and its width. */
function lineCounts(page: Page, selector: string) {
  return page.evaluate<{ rendered: number; source: number; width: number }>(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const s = getComputedStyle(el);
    const pad = Number.parseFloat(s.paddingTop) + Number.parseFloat(s.paddingBottom);
    return {
      rendered: Math.round((el.clientHeight - pad) / Number.parseFloat(s.lineHeight)),
      source: el.textContent.split("\\n").length,
      width: el.getBoundingClientRect().width,
    };
  })()`);
}

for (const v of VIEWPORTS)
  test(`the pages at ${v.width} px: no sideways scroll, readable audit detail, empty states, accessible`, async () => {
    const ctx = await browser.newContext({
      viewport: { width: v.width, height: v.height },
      isMobile: v.mobile,
      hasTouch: v.mobile,
      deviceScaleFactor: v.mobile ? 2 : 1,
      timezoneId: "America/New_York",
    });
    const { page, problems } = await openPage(ctx);
    const check = async (path: string, shot: string) => {
      await page.goto(`${origin}${path}`);
      await page.locator("h1").waitFor();
      assert.equal(await horizontalOverflow(page), 0, `${path} scrolls sideways at ${v.width} px`);
      // A mobile browser widens its layout viewport to overflowing content: innerWidth stays put.
      assert.equal(await page.evaluate<number>("window.innerWidth"), v.width, path);
      assert.deepEqual(await accessibilityProblems(page), [], `${path} at ${v.width} px`);
      await saveScreenshot(page, `mcias-${shot}-${v.width}`);
    };
    await check("/ui/login", "login");
    await signIn(page, m.adminUsername, m.adminPassword);
    await page.getByRole("heading", { name: "My account" }).waitFor();
    await check("/ui/", "account");
    assert.match((await page.locator("#no-passkeys").textContent()) ?? "", /No passkeys yet\./);
    await check("/ui/admin/accounts", "accounts");
    await check("/ui/admin/accounts/erin", "account-erin");
    await check("/ui/admin/policies", "policies");
    await check("/ui/admin/sso-clients", "sso-clients");
    assert.match(
      (await page.locator("#no-clients").textContent()) ?? "",
      /No clients are configured\./,
    );
    await check("/ui/admin/audit?event=no_such_event", "audit-empty");
    await page.locator("#audit-empty", { hasText: "No events match these filters." }).waitFor();
    await page.getByRole("link", { name: "Clear the filters" }).waitFor();

    // The audit log: rows stay one or two lines; a detail opens into readable JSON.
    await check("/ui/admin/audit", "audit");
    const rows = await page.locator("#audit tbody tr").count();
    assert.ok(rows >= 3, `only ${rows} audit rows`);
    if (!v.mobile) {
      const tallest = await page.evaluate<number>(
        "Math.max(...[...document.querySelectorAll('#audit tbody tr')].map((r) => r.getBoundingClientRect().height))",
      );
      assert.ok(tallest <= 80, `an audit row is ${tallest} px tall`);
      const inner = await page.evaluate<{ scroll: number; client: number }>(
        "(() => { const w = document.querySelector('#audit').parentElement; return { scroll: w.scrollWidth, client: w.clientWidth }; })()",
      );
      assert.ok(inner.scroll <= inner.client, `the audit table scrolls inside: ${inner.scroll} px`);
    }
    const detail = page.locator("#audit details").first();
    await detail.locator("summary").click();
    await detail.locator("pre").waitFor({ state: "visible" });
    const lines = await lineCounts(page, "#audit details[open] pre");
    assert.ok(lines.width >= 250, `the detail is only ${lines.width} px wide`);
    assert.ok(
      lines.rendered <= lines.source * 2,
      `the detail wraps into ${lines.rendered} lines for ${lines.source} lines of JSON`,
    );
    assert.equal(await horizontalOverflow(page), 0, "an open detail scrolls the page sideways");
    const time = page.locator("#audit time").first();
    assert.match((await time.getAttribute("title")) ?? "", /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    await page.waitForFunction("document.querySelector('#audit time').dataset.kitLocal === '1'");
    assert.match((await time.textContent()) ?? "", /EST|EDT|GMT-[45]/);
    await saveScreenshot(page, `mcias-audit-open-${v.width}`);
    assert.deepEqual(problems, []);
    await ctx.close();
  });

test("add a passkey with a virtual authenticator, then sign in with only the passkey", async () => {
  const ctx = await browser.newContext();
  const { page, problems } = await openPage(ctx);
  await addVirtualAuthenticator(page);
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
