// Debian Chromium (playwright-core) against a real mcq and a real MCIAS: SSO sign-in, a document
// pushed over REST listed unread, the reader with a highlighted code block, a table and a task
// list, injected script / onerror / javascript: links inert, mark read, re-push resets read and
// shows the diff, sign-out ends the session. Queue and reader are checked at 375 and 1280 px for horizontal overflow and
// accessibility; screenshots go to .artifacts/screenshots/ (kept as artefacts, not committed).
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkPageLayout, launchBrowser, textOf } from "@metacircular/testkit";
import { PASSWORD, startStack } from "./helpers/stack.ts";

const DOC = [
  "# Field guide",
  "",
  "## Hosts",
  "",
  "| Host | Role | Address |",
  "| ---- | ---- | ------- |",
  "| rift | ingress proxy for every public name | 2001:db8:1234:5678:9abc:def0:1234:5678 |",
  "",
  "## Checklist",
  "",
  "- [x] rotate keys",
  "- [ ] renew certificates",
  "",
  "```typescript",
  'export function greet(name: string): string { return "hello " + name + ", this line is deliberately long enough to scroll"; }',
  "```",
  "",
  "<script>window.__pwned = 1</script>",
  "",
  '<img src=x onerror="window.__pwned = 2">',
  "",
  "[click me](javascript:window.__pwned=3)",
  "",
  "The last paragraph says hello.",
].join("\n");

test("browser: SSO, queue, reader, injection inert, mark read, re-push diff, sign-out", async (t) => {
  const s = await startStack(t);
  const alice = await s.token("alice");
  assert.equal(
    (await s.api("PUT", "/v1/documents/field-guide", alice, { body: DOC, tags: ["ops"] })).status,
    201,
  );

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`${s.url}/`);
  await page.waitForURL(`${s.url}/login`);
  await page.click("#sso-sign-in");
  await page.waitForURL(`${s.mcias.url}/sso/authorize?**`);
  await page.fill('input[name="username"]', "alice");
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL(`${s.url}/`), page.click('button[type="submit"]')]);

  const row = page.locator("#queue tbody tr", { hasText: "Field guide" });
  assert.match(await textOf(row), /unread/);
  await checkPageLayout(page, "mcq-queue", [375, 1280]);

  await page.click("text=Field guide");
  await page.waitForURL(`${s.url}/d/field-guide`);
  const doc = page.locator("#document");
  assert.ok((await doc.locator("pre.md-code span.sh-keyword").count()) > 0, "highlighted code");
  assert.equal(await textOf(doc.locator("table td").first()), "rift");
  assert.equal(await doc.locator("input.md-task[type=checkbox]").count(), 2);
  assert.equal(await doc.locator("input.md-task:checked").count(), 1);
  assert.equal(await doc.locator("script, img").count(), 0);
  assert.equal(await doc.locator('a[href^="javascript:"]').count(), 0);
  assert.match(await textOf(doc), /<script>window.__pwned = 1<\/script>/);
  assert.equal(await page.evaluate("window.__pwned"), undefined);
  assert.equal(await page.locator("#toc a").count(), 2);
  await checkPageLayout(page, "mcq-reader", [375, 1280]);

  await Promise.all([page.waitForURL(`${s.url}/d/field-guide`), page.click("#mark button")]);
  assert.match(await textOf(page.locator("#meta")), /^Read/);
  assert.equal(await page.locator("#changes").count(), 0);

  const changed = DOC.replace("The last paragraph says hello.", "The last paragraph says goodbye.");
  assert.equal(
    (await s.api("PUT", "/v1/documents/field-guide", alice, { body: changed })).status,
    200,
  );
  await page.reload();
  assert.match(await textOf(page.locator("#meta")), /^Unread · version 2/);
  const changes = page.locator("#changes");
  assert.match(await textOf(changes.locator("summary")), /version 1 → 2/);
  assert.match(await textOf(changes.locator(".md-diff-del")), /hello/);
  assert.match(await textOf(changes.locator(".md-diff-add")), /goodbye/);
  await checkPageLayout(page, "mcq-reader-diff", [375, 1280]);

  await Promise.all([page.waitForURL(`${s.url}/login`), page.click(".mcq-signout button")]);
  await page.goto(`${s.url}/d/field-guide`);
  await page.waitForURL(`${s.url}/login`);
});

test("browser, scripts off: a very large document is read in parts through plain links", async (t) => {
  const s = await startStack(t);
  const alice = await s.token("alice");
  const prose = "Every part of this long document is plain prose for the reader. ".repeat(30);
  const big = Array.from({ length: 200 }, (_, i) => `## Chapter ${i}\n\n${prose}\n`).join("\n");
  const put = await s.api("PUT", "/v1/documents/long-read", alice, { body: big });
  assert.equal(put.status, 201);

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(`${s.url}/d/long-read`);
  await page.waitForURL(`${s.url}/login`);
  await page.click("#sso-sign-in");
  await page.waitForURL(`${s.mcias.url}/sso/authorize?**`);
  await page.fill('input[name="username"]', "alice");
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL(`${s.url}/**`), page.click('button[type="submit"]')]);
  await page.goto(`${s.url}/d/long-read`);

  const parts = page.locator(".mcq-parts").first();
  assert.match(await textOf(parts), /Part 1 of [3-9]/);
  assert.equal(await page.locator("#document #md-chapter-0").count(), 1);
  assert.equal(await page.locator("#document #md-chapter-199").count(), 0);
  await Promise.all([page.waitForURL(/part=2$/), parts.locator("text=Part 2 →").click()]);
  assert.match(await textOf(page.locator(".mcq-parts").first()), /Part 2 of/);
  assert.equal(await page.locator("#document #md-chapter-0").count(), 0);

  // The contents link to a heading in another part by that part's address.
  const last = page.locator('#toc a[href$="#md-chapter-199"]');
  assert.match(
    (await last.getAttribute("href")) ?? "",
    /^\/d\/long-read\?part=\d+#md-chapter-199$/,
  );
  await Promise.all([page.waitForURL(/#md-chapter-199$/), last.click()]);
  assert.equal(await page.locator("#document #md-chapter-199").count(), 1);
  await checkPageLayout(page, "mcq-reader-parts", [375, 1280]);
});
