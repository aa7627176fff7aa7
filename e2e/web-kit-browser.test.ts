// The mcdsl web kit in Debian Chromium: a demo UI built only from the kit (lib/mcdsl/test/
// web-kit-demo.tsx) at 390 px (phone) and 1280 px, in light and dark schemes. Checked: nothing
// scrolls sideways; the JSON detail opens into readable lines (no character-by-character
// wrapping); the empty state shows its sentence and next action; the navigation folds into a
// menu on the phone and stays open on a wide screen; times are shown in the viewer's zone with
// UTC on hover; a refused form keeps its values and marks the field; the in-page accessibility
// check passes; no CSP violations. Screenshots: <artifacts>/screenshots/web-kit-* (testkit
// saveScreenshot; $MC_ARTIFACTS_DIR, default .artifacts/, not committed).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  accessibilityProblems,
  horizontalOverflow,
  launchBrowser,
  saveScreenshot,
} from "@metacircular/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type DemoServer, startDemo } from "./web-kit-demo.tsx";

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844, mobile: true },
  { name: "desktop", width: 1280, height: 900, mobile: false },
] as const;
const SCHEMES = ["light", "dark"] as const;

let demo: DemoServer;
let browser: Browser;

before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.close();
});

async function open(
  v: (typeof VIEWPORTS)[number],
  scheme: (typeof SCHEMES)[number],
): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
  const ctx = await browser.newContext({
    viewport: { width: v.width, height: v.height },
    isMobile: v.mobile,
    hasTouch: v.mobile,
    colorScheme: scheme,
    timezoneId: "Asia/Kolkata",
    locale: "en-GB",
  });
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 409/.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  return { ctx, page, problems };
}

/** Rendered lines of an element's text versus its source lines. */
function lineCounts(
  page: Page,
  selector: string,
): Promise<{ rendered: number; source: number; width: number }> {
  return page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const s = getComputedStyle(el);
    const lh = Number.parseFloat(s.lineHeight);
    const pad = Number.parseFloat(s.paddingTop) + Number.parseFloat(s.paddingBottom);
    return {
      rendered: Math.round((el.clientHeight - pad) / lh),
      source: el.textContent.split("\\n").length,
      width: el.getBoundingClientRect().width,
    };
  })()`);
}

for (const v of VIEWPORTS)
  for (const scheme of SCHEMES)
    test(`kit pages at ${v.width} px, ${scheme}`, async () => {
      const { ctx, page, problems } = await open(v, scheme);
      await page.goto(`${demo.origin}/`);
      await page.getByRole("heading", { name: "Events", level: 1 }).waitFor();
      assert.equal(await horizontalOverflow(page), 0, "events page scrolls sideways");
      assert.equal(await page.evaluate<number>("window.innerWidth"), v.width);

      // Navigation: a menu on the phone, always open on a wide screen.
      const accounts = page.getByRole("link", { name: "Accounts" });
      if (v.mobile) {
        assert.equal(await accounts.isVisible(), false);
        await page.getByText("Menu", { exact: true }).click();
      }
      await accounts.waitFor({ state: "visible" });
      assert.equal(
        await page.getByRole("link", { name: "Events" }).getAttribute("aria-current"),
        "page",
      );
      if (v.mobile) await page.getByText("Menu", { exact: true }).click();

      // Times: the viewer's zone (IST here) in the text, UTC in the title.
      const time = page.locator("#events time").first();
      await page.waitForFunction("document.querySelector('#events time').dataset.kitLocal === '1'");
      assert.equal(await time.getAttribute("title"), "2026-12-06 17:00:00 UTC");
      assert.match((await time.textContent()) ?? "", /^2026-12-06 22:30:00 /);
      assert.match((await time.textContent()) ?? "", /IST|GMT\+5:30/);

      // The JSON detail: a one-line preview, then readable lines on click.
      const detail = page.locator("#events details").first();
      assert.equal(await detail.locator("pre").isVisible(), false);
      await detail.locator("summary").click();
      await detail.locator("pre").waitFor({ state: "visible" });
      const lines = await lineCounts(page, "#events details[open] pre");
      assert.ok(lines.width >= 300, `detail only ${lines.width} px wide`);
      assert.ok(
        lines.rendered <= lines.source * 2,
        `detail wraps into ${lines.rendered} lines for ${lines.source} lines of JSON`,
      );
      assert.equal(await horizontalOverflow(page), 0, "open detail makes the page scroll sideways");

      // The empty state: a sentence and the next action, no bare table headers.
      const empty = page.locator("#approvals-empty");
      assert.match((await empty.textContent()) ?? "", /Nothing is waiting for approval\./);
      await empty.getByRole("link", { name: "Review approval rules" }).waitFor();
      assert.equal(await page.locator("#approvals").count(), 0);

      assert.deepEqual(await accessibilityProblems(page), []);
      await page.keyboard.press("Tab");
      const focus = await page.evaluate<{ style: string; width: number }>(
        "(() => { const s = getComputedStyle(document.activeElement); return { style: s.outlineStyle, width: Number.parseFloat(s.outlineWidth) }; })()",
      );
      assert.ok(focus.style !== "none" && focus.width >= 2, "focus is visible");
      await saveScreenshot(page, `web-kit-events-${v.width}-${scheme}`);

      // A refused form keeps what was typed (except the password) and marks the field.
      await page.goto(`${demo.origin}/accounts`);
      await page.getByLabel("Username").fill("erin");
      await page.getByLabel("Type").selectOption("system");
      await page.getByLabel("admin").check();
      await page.getByLabel("Initial password").fill("secret-password");
      await page.getByRole("button", { name: "Create" }).click();
      await page.locator("#error", { hasText: "The account was not created." }).waitFor();
      const user = page.getByLabel("Username");
      assert.equal(await user.inputValue(), "erin");
      assert.equal(await user.getAttribute("aria-invalid"), "true");
      assert.match((await user.getAttribute("aria-describedby")) ?? "", /f-username-error/);
      assert.equal(
        await page.locator("#f-username-error").textContent(),
        "This username is already taken.",
      );
      assert.equal(await page.getByLabel("Type").inputValue(), "system");
      assert.equal(await page.getByLabel("admin").isChecked(), true);
      assert.equal(await page.getByLabel("Initial password").inputValue(), "");
      assert.equal(await horizontalOverflow(page), 0, "accounts page scrolls sideways");
      assert.deepEqual(await accessibilityProblems(page), []);
      await saveScreenshot(page, `web-kit-form-${v.width}-${scheme}`);

      assert.deepEqual(problems, []);
      await ctx.close();
    });

test("the in-page accessibility check finds what it is meant to find", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.setContent(
    [
      "<html><head><title>t</title></head><body>",
      '<input name="q"><img src="data:,"><button></button>',
      '<p id="x">one</p><p id="x">two</p>',
      '<p class="grey">faint text</p><input aria-describedby="nowhere" aria-label="ok">',
      "<style>.grey{color:#aaa;background:#fff}</style></body></html>",
    ].join(""),
  );
  const found = (await accessibilityProblems(page)).join("\n");
  assert.match(found, /html has no lang attribute/);
  assert.match(found, /form control without a label: <input>/);
  assert.match(found, /img without alt/);
  assert.match(found, /button without a name/);
  assert.match(found, /duplicate id "x"/);
  assert.match(found, /refers to missing id "nowhere"/);
  assert.match(found, /contrast 2\.\d+ < 4\.5 on <p\.grey> "faint text"/);
  await ctx.close();
});
