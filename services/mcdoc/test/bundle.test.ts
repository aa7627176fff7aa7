// The deployable form: `npm run build` bundles dist/mcdoc.mjs and dist/mcdoc-render-worker.mjs,
// run by plain node (no tsx): the bundled server fetches from the loopback git server and renders
// on its bundled worker, with Shiki classes and MCDoc's link rewriting.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { tempDirFor } from "@metacircular/testkit";
import { startDocStack } from "./helpers/stack.ts";

const PKG = resolve(import.meta.dirname, "..");

test("the dist bundle fetches, renders on its worker and serves the site", {
  timeout: 300_000,
}, async (t) => {
  await promisify(execFile)("npm", ["run", "build"], { cwd: PKG });
  const s = await startDocStack(tempDirFor(t, "mcdoc-bundle-"), join(PKG, "dist/mcdoc.mjs"));
  t.after(() => s.stop());
  assert.match(s.mcdoc.child.proc.spawnargs.join(" "), /dist\/mcdoc\.mjs/);
  const page = await (await fetch(`${s.mcdoc.url}/r/handbook/`)).text();
  assert.match(page, /<span class="sh-keyword">export<\/span>/);
  assert.match(page, /href="\/r\/handbook\/guide\/intro\.md"/);
  const css = page.match(/href="(\/static\/mcdoc\.[0-9a-f]+\.css)"/)?.[1];
  assert.ok(css);
  assert.equal((await fetch(`${s.mcdoc.url}${css}`)).status, 200);
});
