import assert from "node:assert/strict";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { test } from "node:test";
import { artifactsDir, saveScreenshot } from "./artifacts.ts";
import { launchBrowser } from "./browser.ts";
import { REPO_ROOT } from "./process.ts";
import { tempDirFor } from "./tmp.ts";

test("Debian Chromium renders a loopback page and runs its script", async (t) => {
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end('<!doctype html><button id="b" onclick="this.textContent=\'clicked\'">press</button>');
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  t.after(() => server.close());
  const { port } = server.address() as { port: number };

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.click("#b");
  assert.equal(await page.textContent("#b"), "clicked");

  // A screenshot lands under $MC_ARTIFACTS_DIR/screenshots/ with the given name, as a PNG.
  const dir = tempDirFor(t, "mc-artifacts-");
  const before = process.env.MC_ARTIFACTS_DIR;
  process.env.MC_ARTIFACTS_DIR = dir.path;
  t.after(() => {
    if (before === undefined) delete process.env.MC_ARTIFACTS_DIR;
    else process.env.MC_ARTIFACTS_DIR = before;
  });
  const path = await saveScreenshot(page, "testkit-button-800");
  assert.equal(path, dir.join("screenshots", "testkit-button-800.png"));
  assert.deepEqual([...readFileSync(path).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  await assert.rejects(saveScreenshot(page, "../escape"), /not a screenshot name/);
});

test("artifacts go to $MC_ARTIFACTS_DIR, else <repo>/.artifacts", () => {
  assert.equal(artifactsDir({}), join(REPO_ROOT, ".artifacts"));
  assert.equal(artifactsDir({ MC_ARTIFACTS_DIR: "/srv/ci/out" }), "/srv/ci/out");
  assert.equal(artifactsDir({ MC_ARTIFACTS_DIR: "out" }), join(process.cwd(), "out"));
});
