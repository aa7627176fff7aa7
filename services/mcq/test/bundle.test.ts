// The deployable form: `npm run build` bundles dist/mcq.mjs and dist/mcq-render-worker.mjs,
// run by plain node (no tsx). The bundled server renders on its bundled worker (Shiki classes in
// the stored HTML) against a real MCIAS, and the bundled CLI pushes and lists.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { freePort, startMcias, startProcess, tempDirFor } from "@metacircular/testkit";
import { login, PASSWORD } from "./helpers/stack.ts";

const run = promisify(execFile);
const PKG = resolve(import.meta.dirname, "..");
const MCQ = join(PKG, "dist/mcq.mjs");

test("the dist bundle serves, renders on its worker, and its CLI pushes and lists", async (t) => {
  await run("npm", ["run", "build"], { cwd: PKG });
  const dir = tempDirFor(t, "mcq-bundle-").path;
  const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  t.after(() => mcias.stop());
  await mcias.createAccount("alice", { password: PASSWORD });
  const token = await login(mcias, "alice");
  const port = await freePort();
  const cfg = join(dir, "mcq.toml");
  writeFileSync(
    cfg,
    `[server]\nlisten_addr = "127.0.0.1:${port}"\n[database]\npath = "${join(dir, "mcq.db")}"
[mcias]\nserver_url = "${mcias.url}"\nservice_name = "mcq"\n`,
  );
  const server = startProcess(process.execPath, {
    args: [MCQ, "server", "--config", cfg],
    tsx: false,
  });
  t.after(() => server.stop());
  await server.waitForLine(/mcq started/, 60_000);
  const url = `http://127.0.0.1:${port}`;

  const file = join(dir, "bundle-check.md");
  writeFileSync(file, "# Bundle\n\n```rust\nfn main() {}\n```\n");
  const env = { ...process.env, MCQ_TOKEN: token, XDG_CONFIG_HOME: join(dir, "config") };
  const push = await run(process.execPath, [MCQ, "--server", url, "push", file], { env });
  assert.equal(push.stdout, "created bundle-check (version 1)\n");
  const list = await run(process.execPath, [MCQ, "--server", url, "--json", "list"], { env });
  assert.deepEqual(
    (JSON.parse(list.stdout).documents as Array<{ slug: string }>).map((d) => d.slug),
    ["bundle-check"],
  );
  const r = await fetch(`${url}/v1/documents/bundle-check`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.match(((await r.json()) as { html: string }).html, /<span class="sh-keyword">fn<\/span>/);
});
