// Debian Chromium (playwright-core) against a real mcdoc fetching from the loopback git server,
// JavaScript off: home → repository → a nested page through the navigation tree, a relative link,
// the image decoded, highlighted code, the table of contents, the search form, the broken-links
// page. Home and a document page are checked at 375 and 1280 px for horizontal overflow and
// accessibility (a second context with scripts on, for the in-page checks) and saved as
// screenshots (mcdoc-home-375.png, ...; $MC_ARTIFACTS_DIR/screenshots, default .artifacts/).
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkPageLayout, launchBrowser, tempDirFor } from "@metacircular/testkit";
import { startDocStack } from "./helpers/stack.ts";

test("browser: navigate the handbook with JavaScript off; layout at 375 and 1280 px", {
  timeout: 300_000,
}, async (t) => {
  const dir = tempDirFor(t, "mcdoc-browser-");
  const s = await startDocStack(dir);
  t.after(() => s.stop());
  const base = s.mcdoc.url;
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const noJs = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await noJs.goto(`${base}/`);
  await Promise.all([
    noJs.waitForURL(`${base}/r/handbook/`),
    noJs.click("#repos a:text('The Handbook')"),
  ]);
  const img = noJs.locator("#document img");
  assert.equal(await img.getAttribute("src"), "/raw/handbook/images/logo.png");
  assert.ok(
    (await noJs.locator("#document pre.md-code span.sh-keyword").count()) > 0,
    "highlighted",
  );
  // The navigation tree: open "guide", then "deep", then the nested page (no script needed).
  await noJs.click(".doc-nav summary:has-text('guide') >> nth=0", { position: { x: 2, y: 2 } });
  await Promise.all([
    noJs.waitForURL(`${base}/r/handbook/guide/intro.md`),
    noJs.click(".doc-nav a:text('Introduction')"),
  ]);
  assert.equal(await noJs.locator(".doc-nav a[aria-current='page']").textContent(), "Introduction");
  assert.equal(await noJs.locator(".doc-toc a").count(), 2);
  await Promise.all([
    noJs.waitForURL(`${base}/r/handbook/guide/deep/nested.md`),
    noJs.click("#document a:text('nested')"),
  ]);
  assert.match((await noJs.locator("h1").textContent()) ?? "", /Nested page/);
  await Promise.all([
    noJs.waitForURL(`${base}/r/handbook/README.md`),
    noJs.click("#document a:text('root')"),
  ]);
  await noJs.fill("#doc-q", "zebra");
  await Promise.all([noJs.waitForURL(`${base}/search?q=zebra`), noJs.press("#doc-q", "Enter")]);
  assert.equal(await noJs.locator("#hits li").count(), 1);
  await Promise.all([
    noJs.waitForURL(`${base}/r/handbook/guide/deep/nested.md`),
    noJs.click("#hits a"),
  ]);
  await Promise.all([noJs.waitForURL(`${base}/broken/handbook`), noJs.click(".doc-footer a")]);
  assert.equal(await noJs.locator("#broken tbody tr").count(), 2);

  const page = await browser.newPage();
  await page.goto(`${base}/r/handbook/README.md`);
  const width = await page
    .locator("#document img")
    .evaluate((el) => (el as { naturalWidth: number }).naturalWidth);
  assert.equal(width, 1, "the image is served and decoded");
  await page.goto(`${base}/`);
  await checkPageLayout(page, "mcdoc-home", [375, 1280]);
  await page.goto(`${base}/r/handbook/`);
  await checkPageLayout(page, "mcdoc-page", [375, 1280]);
  await page.goto(`${base}/r/handbook/guide/intro.md`);
  await checkPageLayout(page, "mcdoc-nested", [375, 1280]);
});
