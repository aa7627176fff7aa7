import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import { test } from "node:test";
import { launchBrowser } from "./browser.ts";

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
});
