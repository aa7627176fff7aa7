// The operator's flow beyond deploy, end to end with real processes: `mcp build` builds a
// busybox image FROM scratch with podman and pushes it to a real MCR (operator's MCIAS token for
// mcr as the password); the local copy is removed and `mcp deploy` has the agent pull it from
// MCR with its system account's token; then restart, logs -f, edit (a refused edit keeps the
// file), sync, push/pull (and the paths the agent refuses), snapshot/restore, and node list
// answering through the fallback address.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { after, before, test } from "node:test";
import {
  type ChildService,
  freePort,
  makeTempDir,
  REPO_ROOT,
  startProcess,
  type TempDir,
} from "@metacircular/testkit";
import { mcp } from "./helpers/cli.ts";
import { startMcr, type TestMcr } from "./helpers/mcr.ts";
import {
  platformAgentToml,
  startPlatformParts,
  type TestPlatform,
  ZONE,
} from "./helpers/platform.ts";
import { busyboxContext, startPodman, type TestPodman } from "./helpers/podman.ts";
import { httpsGet } from "./helpers/probe.ts";
import { retry } from "./helpers/retry.ts";

const HOST = `hello.${ZONE}`;
const PASSWORD = "operator-password-123";
let p: TestPodman;
let pf: TestPlatform;
let mcr: TestMcr;
let dir: TempDir;
let agent: ChildService;
let home: string;
let fallbackUrl: string;
let image: string;
let cliEnv: NodeJS.ProcessEnv;

function agentToml(grpcPort: number, mcrTokenFile: string): string {
  return `${platformAgentToml(pf, { grpcPort, dbPath: dir.join("mcp-agent.sqlite"), podmanSocket: p.socket })}[images]
pull = true
username = "mcp-agent"
password_file = ${JSON.stringify(mcrTokenFile)}
[files]
root = ${JSON.stringify(dir.join("srv"))}
[monitor]
interval_seconds = 0
`;
}

function cliToml(grpcPort: number, deadPort: number): string {
  fallbackUrl = `http://127.0.0.1:${grpcPort}`;
  return `[mcias]
url = "${pf.mcias.url}"
[build]
workspace = ${JSON.stringify(dir.join("src"))}
[registry]
username = "operator"
ca_cert = ${JSON.stringify(mcr.caCert)}
[[nodes]]
name = "testnode"
address = "http://127.0.0.1:${deadPort}"
fallback = ["${fallbackUrl}"]
`;
}

before(async () => {
  pf = await startPlatformParts();
  mcr = await startMcr(pf.mcias, { pullers: ["mcp-agent"], pushers: ["operator"] });
  p = await startPodman({ SSL_CERT_FILE: mcr.caCert });
  image = `${mcr.host}/hello:v1.0.0`;
  await pf.mcias.createAccount("operator", { type: "human", roles: ["user"], password: PASSWORD });
  dir = makeTempDir("mcp-cli-flow-");
  mkdirSync(dir.join("srv"));
  await busyboxContext(dir.join("src/hello"), "hello from MCR\n");
  const mcrTokenFile = dir.join("mcr.token");
  writeFileSync(mcrTokenFile, await pf.mcias.issueSystemToken("mcp-agent", "mcr"), {
    mode: 0o600,
  });
  const grpcPort = await freePort();
  writeFileSync(dir.join("mcp-agent.toml"), agentToml(grpcPort, mcrTokenFile));
  agent = startProcess(`${REPO_ROOT}/services/mcp/src/cmd/mcp-agent.ts`, {
    args: ["server", "--config", dir.join("mcp-agent.toml")],
  });
  await agent.waitForLine(/mcp-agent started/, 60_000);
  home = dir.join("home");
  mkdirSync(`${home}/mcp/services`, { recursive: true });
  writeFileSync(`${home}/mcp/mcp.toml`, cliToml(grpcPort, await freePort()));
  writeFileSync(
    `${home}/mcp/services/hello.toml`,
    `name = "hello"
node = "testnode"
[build.images]
hello = "Containerfile"
[[components]]
name = "web"
image = "${image}"
[[components.routes]]
port = ${pf.proxy.port}
mode = "l7"
`,
  );
  const e = p.env;
  cliEnv = {
    CONTAINERS_CONF: e.CONTAINERS_CONF,
    CONTAINERS_STORAGE_CONF: e.CONTAINERS_STORAGE_CONF,
    XDG_RUNTIME_DIR: e.XDG_RUNTIME_DIR,
    TMPDIR: e.TMPDIR,
  };
});
after(async () => {
  await agent?.stop(10_000);
  await p?.stop();
  await mcr?.stop();
  await pf?.stop();
  dir?.remove();
});

const ok = (r: { code: number; out: string; err: string }) => {
  assert.equal(r.code, 0, `${r.out}\n${r.err}`);
  return r.out;
};
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => mcp(home, args, { ...cliEnv, ...env });
const page = () => retry(() => httpsGet(pf.proxy.port, HOST, pf.cert.ca), 60_000);

test("build pushes to MCR; deploy pulls it from MCR with the agent's system account", async () => {
  ok(await cli(["login", "operator"], { MCIAS_PASSWORD: PASSWORD }));
  const built = JSON.parse(ok(await cli(["build", "hello", "--json"])));
  assert.deepEqual(built, [{ image: "hello", pushed: image }]);
  const pushes = await mcr.audit("push");
  assert.deepEqual([pushes[0]?.actor, pushes[0]?.repository], ["operator", "hello"]);

  await p.cli(["rmi", "--force", image]); // the deploy must fetch it
  assert.equal(await p.client.inspectImage(image), undefined);
  ok(await cli(["deploy", "hello"]));
  assert.deepEqual(await page(), { status: 200, body: "hello from MCR\n" });
  const pulls = await mcr.audit("pull");
  assert.ok(
    pulls.some((x) => x.actor === "mcp-agent" && x.repository === "hello"),
    JSON.stringify(pulls),
  );
});

test("node list reaches the agent through the fallback address", async () => {
  const rows = JSON.parse(ok(await cli(["node", "list", "--json"])));
  assert.equal(rows[0].reached, fallbackUrl);
  assert.equal(rows[0].error, "");
});

test("restart, then logs -f prints new lines until interrupted", async () => {
  assert.match(ok(await cli(["restart", "hello"])), /restarted hello on testnode/);
  await page();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      `${REPO_ROOT}/services/mcp/src/cmd/mcp.ts`,
      "logs",
      "hello",
      "-f",
      "--tail",
      "1",
    ],
    { env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home } },
  );
  let out = "";
  child.stdout.on("data", (c) => {
    out += c;
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  // Requests made while it follows show up in its output.
  await retry(async () => {
    await httpsGet(pf.proxy.port, HOST, pf.cert.ca);
    if ((out.match(/response:200/g) ?? []).length < 2) throw new Error(`not yet: ${out}`);
  }, 120_000);
  child.kill("SIGINT");
  assert.equal(await exited, 0);
});

test("edit: a refused edit keeps the old file; a valid one is saved and sync deploys it", async () => {
  const def = `${home}/mcp/services/hello.toml`;
  const before = readFileSync(def, "utf8");
  const bad = dir.join("bad-editor.sh");
  writeFileSync(bad, '#!/bin/sh\necho "pubilc = true" >> "$1"\n');
  const good = dir.join("good-editor.sh");
  writeFileSync(
    good,
    '#!/bin/sh\nsed -i \'s/^name = "web"$/name = "web"\\nenv = ["GREETING=hi"]/\' "$1"\n',
  );
  chmodSync(bad, 0o755);
  chmodSync(good, 0o755);

  const refused = await cli(["edit", "hello"], { EDITOR: bad });
  assert.equal(refused.code, 1);
  assert.match(refused.err, /\(invalid_definition\)/);
  assert.match(refused.err, /pubilc: unknown key \(did you mean public\?\)/);
  assert.equal(readFileSync(def, "utf8"), before);

  assert.match(ok(await cli(["edit", "hello"], { EDITOR: good })), /hello\.toml: saved/);
  assert.match(readFileSync(def, "utf8"), /GREETING=hi/);
  const synced = JSON.parse(ok(await cli(["sync", "--json"])));
  assert.deepEqual(synced, [{ service: "hello", node: "testnode", result: "deployed" }]);
  const again = JSON.parse(ok(await cli(["sync", "--json"])));
  assert.deepEqual(again, [{ service: "hello", node: "testnode", result: "unchanged" }]);
  const c = await p.client.inspectContainer("hello-web");
  assert.ok(c, "container exists");
});

test("push and pull files under /srv/<service>/; ways out are refused", async () => {
  const local = dir.join("app.toml");
  writeFileSync(local, "greeting = 'hi'\n");
  const pushed = JSON.parse(ok(await cli(["push", "hello", local, "conf/app.toml", "--json"])));
  assert.equal(pushed.bytes, 16);
  assert.equal(readFileSync(dir.join("srv/hello/conf/app.toml"), "utf8"), "greeting = 'hi'\n");
  const back = dir.join("back.toml");
  ok(await cli(["pull", "hello", "conf/app.toml", back]));
  assert.equal(readFileSync(back, "utf8"), "greeting = 'hi'\n");

  symlinkSync(dir.path, dir.join("srv/hello/escape"));
  for (const remote of ["../outside.toml", "/etc/passwd", "escape/mcp-agent.toml"]) {
    const up = await cli(["push", "hello", local, remote]);
    assert.match(up.err, /\(path_refused\)/, `push ${remote}`);
    const down = await cli(["pull", "hello", remote, dir.join("x")]);
    assert.match(down.err, /\(path_refused\)/, `pull ${remote}`);
  }
  assert.equal(existsSync(dir.join("outside.toml")), false);
  assert.equal(existsSync(dir.join("x")), false);
  rmSync(dir.join("srv/hello/escape"));
});

test("snapshot and restore the service folder (tar.zst); the service serves again", async () => {
  const archive = dir.join("hello.tar.zst");
  ok(await cli(["snapshot", "hello", "-o", archive]));
  assert.equal(readFileSync(archive).readUInt32LE(0), 0xfd2fb528); // zstd frame magic
  rmSync(dir.join("srv/hello/conf"), { recursive: true });
  writeFileSync(dir.join("srv/hello/stray"), "x");
  const r = JSON.parse(ok(await cli(["restore", "hello", archive, "--json"])));
  assert.ok(r.entries >= 2);
  assert.equal(readFileSync(dir.join("srv/hello/conf/app.toml"), "utf8"), "greeting = 'hi'\n");
  assert.equal(existsSync(dir.join("srv/hello/stray")), false);
  assert.deepEqual(await page(), { status: 200, body: "hello from MCR\n" });
  ok(await cli(["undeploy", "hello"]));
});
