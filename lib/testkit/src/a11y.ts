// Page checks shared by the browser tests of every web UI: an axe-style accessibility check
// (a11y-check.js, run inside the page) and the horizontal-overflow measure.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

const CHECK = readFileSync(new URL("./a11y-check.js", import.meta.url), "utf8");

/** Accessibility problems of the page as it is now; [] when it passes. */
export function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(CHECK);
}

/** How far the page is wider than the window (0 when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  const { scroll, inner } = await page.evaluate<{ scroll: number; inner: number }>(
    "({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth })",
  );
  return Math.max(0, scroll - inner);
}
