// The deployable form: `npm run build` bundles dist/mcp.mjs and dist/mcp-agent.mjs, run by plain
// node (no tsx). The bundled agent starts on a private podman against a real MCIAS, and the
// bundled CLI reads its status with a system account's token and refuses a bad definition.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { freePort, startMcias, startProcess, tempDirFor } from "@metacircular/testkit";
import { startPodman } from "./helpers/podman.ts";

const run = promisify(execFile);
const PKG = resolve(import.meta.dirname, "..");

test("the dist bundles: the agent serves, the CLI calls it", async (t) => {
  await run("npm", ["run", "build"], { cwd: PKG });
  const dir = tempDirFor(t, "mcp-bundle-").path;
  const [mcias, p] = await Promise.all([startMcias(), startPodman()]);
  t.after(() => mcias.stop());
  t.after(() => p.stop());
  await mcias.createAccount("deployer", { type: "system" });
  const token = await mcias.issueSystemToken("deployer", "mcp-agent");
  const port = await freePort();
  const cfg = join(dir, "mcp-agent.toml");
  writeFileSync(
    cfg,
    `[server]\ngrpc_addr = "127.0.0.1:${port}"\n[database]\npath = "${join(dir, "agent.sqlite")}"
[mcias]\nserver_url = "${mcias.url}"\nservice_name = "mcp-agent"\n[node]\nname = "n1"
[podman]\nsocket = "${p.socket}"\n[proxy]\nenabled = false\n[dns]\nenabled = false\n`,
  );
  const agent = startProcess(process.execPath, {
    args: [join(PKG, "dist/mcp-agent.mjs"), "server", "--config", cfg],
    tsx: false,
  });
  t.after(() => agent.stop());
  await agent.waitForLine(/mcp-agent started/, 60_000);

  const home = join(dir, "home");
  mkdirSync(join(home, "mcp/services"), { recursive: true });
  writeFileSync(
    join(home, "mcp/mcp.toml"),
    `[mcias]\nurl = "${mcias.url}"\n[[nodes]]\nname = "n1"\naddress = "http://127.0.0.1:${port}"\n`,
  );
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, MCP_TOKEN: token };
  const cli = join(PKG, "dist/mcp.mjs");
  const st = await run(process.execPath, [cli, "agent", "status", "--json"], { env });
  const rows = JSON.parse(st.stdout) as Array<{ node: string; services: number; error: string }>;
  assert.deepEqual(
    rows.map((r) => [r.node, r.services, r.error]),
    [["n1", 0, ""]],
  );
  const bad = join(home, "mcp/services/bad.toml");
  writeFileSync(bad, 'name = "bad"\nnode = "n1"\n[[components]]\nname = "a"\nimage = "a"\n');
  await assert.rejects(
    run(process.execPath, [cli, "deploy", "bad"], { env }),
    (e: { stderr: string }) => {
      assert.match(e.stderr, /components\[0\]\.image: no version tag.*\(invalid_definition\)/);
      return true;
    },
  );
});
