// The checks every web UI's browser test makes on each page it visits, and the SSO sign-in they
// share: one place, so a new service's test reads as its own pages and nothing else.
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { accessibilityProblems, horizontalOverflow } from "./a11y.ts";
import { saveScreenshot } from "./artifacts.ts";

/**
 * At each width (a phone's and a desktop's by default): nothing scrolls sideways, the
 * accessibility check passes, and a screenshot `<name>-<width>` is kept as an artefact. The
 * viewport is left at the last width.
 */
export async function checkPageLayout(
  page: Page,
  name: string,
  widths: readonly number[] = [390, 1280],
): Promise<void> {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    assert.equal(await horizontalOverflow(page), 0, `${name} overflows at ${width}px`);
    assert.deepEqual(await accessibilityProblems(page), [], `${name} at ${width}px`);
    await saveScreenshot(page, `${name}-${width}`);
  }
}

/** The text of an element ("" when it has none). */
export async function textOf(l: Locator): Promise<string> {
  return (await l.textContent()) ?? "";
}

/**
 * Signs in to a service's web UI through MCIAS SSO: the service's `/login` page, its
 * `#sso-sign-in` button, MCIAS's password form, and back to the service's home page.
 */
export async function ssoSignIn(
  page: Page,
  app: string,
  mcias: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${app}/`);
  await page.waitForURL(`${app}/login`);
  await page.click("#sso-sign-in");
  await page.waitForURL(`${mcias}/sso/authorize?**`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(`${app}/`), page.click('button[type="submit"]')]);
}
