// Files a test run leaves for people to look at (never compared by a test): screenshots of the
// web UIs at each tested width. They land in $MC_ARTIFACTS_DIR (absolute, or relative to the
// current directory), default <repo>/.artifacts (git-ignored), under screenshots/, with stable
// names, so a CI job can publish the folder and a reviewer finds the same file every run.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { REPO_ROOT } from "./process.ts";

/** The artifact folder of this run (not created). */
export function artifactsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MC_ARTIFACTS_DIR ? resolve(env.MC_ARTIFACTS_DIR) : join(REPO_ROOT, ".artifacts");
}

/**
 * A full-page PNG of the page as it is now, at <artifacts>/screenshots/<name>.png (name: lower
 * case letters, digits, dots and dashes, e.g. "mcias-login-390"). Returns the file's path.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) throw new Error(`not a screenshot name: ${name}`);
  const dir = join(artifactsDir(), "screenshots");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
