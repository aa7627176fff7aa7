// End to end on this machine: a busybox image built FROM scratch, the mcp-agent process on a
// private rootful podman, MC-Proxy, MCNS and MCIAS processes, and the mcp CLI as an operator
// uses it: login → deploy → HTTPS through MC-Proxy returns the container's page → dig at MCNS
// resolves the name → ps shows it running → stop removes route and DNS → undeploy leaves no
// container, route, DNS record or registry row. (Certificates come from [certs] static; the
// image is built on the node. Metacrypt issuance: host-certs.test.ts; MCR: cli-flow.test.ts.)
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { tokenCachePath } from "@metacircular/mcdsl/cli";
import {
  type ChildService,
  freePort,
  makeTempDir,
  REPO_ROOT,
  startProcess,
  type TempDir,
} from "@metacircular/testkit";
import Database from "better-sqlite3";
import { ProxyRoutes } from "../src/agent/proxy.ts";
import { assertRegistryEmpty } from "./helpers/agent.ts";
import { mcp } from "./helpers/cli.ts";
import {
  platformAgentToml,
  startPlatformParts,
  type TestPlatform,
  ZONE,
} from "./helpers/platform.ts";
import { buildBusyboxImage, startPodman, type TestPodman } from "./helpers/podman.ts";
import { digA, httpsGet } from "./helpers/probe.ts";
import { retry } from "./helpers/retry.ts";

const IMAGE = "localhost/mcp-e2e/hello:v1.0.0";
const HOST = `hello.${ZONE}`;
const PASSWORD = "operator-password-123";
let p: TestPodman;
let pf: TestPlatform;
let dir: TempDir;
let agent: ChildService;
let home: string;

function agentToml(grpcPort: number): string {
  return `${platformAgentToml(pf, { grpcPort, dbPath: dir.join("mcp-agent.sqlite"), podmanSocket: p.socket })}[log]
level = "info"
[images]
pull = false
[deploy]
drain_seconds = 0.2
`;
}

before(async () => {
  [p, pf] = await Promise.all([startPodman(), startPlatformParts()]);
  await buildBusyboxImage(p, IMAGE, "hello, end to end\n");
  await pf.mcias.createAccount("operator", { type: "human", roles: ["user"], password: PASSWORD });
  dir = makeTempDir("mcp-e2e-");
  const grpcPort = await freePort();
  writeFileSync(dir.join("mcp-agent.toml"), agentToml(grpcPort));
  agent = startProcess(`${REPO_ROOT}/services/mcp/src/cmd/mcp-agent.ts`, {
    args: ["server", "--config", dir.join("mcp-agent.toml")],
  });
  await agent.waitForLine(/mcp-agent started/, 60_000);
  home = dir.join("home");
  mkdirSync(`${home}/mcp/services`, { recursive: true });
  // The first address is dead: the CLI falls back to the next one.
  writeFileSync(
    `${home}/mcp/mcp.toml`,
    `[mcias]
url = "${pf.mcias.url}"
[[nodes]]
name = "testnode"
address = "http://127.0.0.1:${await freePort()}"
fallback = ["http://127.0.0.1:${grpcPort}"]
arch = "amd64"
`,
  );
  writeFileSync(
    `${home}/mcp/services/hello.toml`,
    `name = "hello"
node = "testnode"
[[components]]
name = "web"
image = "${IMAGE}"
[[components.routes]]
port = ${pf.proxy.port}
mode = "l7"
`,
  );
});
after(async () => {
  await agent?.stop(10_000);
  await p?.stop();
  await pf?.stop();
  dir?.remove();
});

const ok = (r: { code: number; out: string; err: string }) => {
  assert.equal(r.code, 0, `${r.out}\n${r.err}`);
  return r.out;
};

test("login, deploy, serve, resolve, ps, stop, undeploy", async () => {
  ok(await mcp(home, ["login", "operator"], { MCIAS_PASSWORD: PASSWORD }));
  assert.equal(statSync(tokenCachePath({ XDG_CONFIG_HOME: home })).mode & 0o777, 0o600);

  assert.match(
    ok(await mcp(home, ["deploy", "hello"])),
    /deployed hello on testnode\n {2}container hello-web: created/,
  );
  const page = await retry(() => httpsGet(pf.proxy.port, HOST, pf.cert.ca));
  assert.deepEqual(page, { status: 200, body: "hello, end to end\n" });
  assert.deepEqual(await digA(pf.mcns.dnsPort, HOST), ["127.0.0.1"]);

  const ps = JSON.parse(ok(await mcp(home, ["ps", "--json"])));
  assert.equal(ps.length, 1);
  assert.deepEqual(
    [ps[0].service, ps[0].component, ps[0].state, ps[0].desired],
    ["hello", "web", "running", "running"],
  );
  assert.match(ok(await mcp(home, ["ps"])), /testnode\s+hello\s+web\s+running\s+running/);
  assert.match(
    ok(await mcp(home, ["status", "hello"])),
    /hello on testnode \(desired: running, health: ok\)/,
  );
  assert.match(ok(await mcp(home, ["logs", "hello"])), /response:200/);
  const st = JSON.parse(ok(await mcp(home, ["agent", "status", "--json"])));
  assert.deepEqual(
    [st[0].node, st[0].services, st[0].proxy, st[0].dns, st[0].error],
    ["testnode", 1, true, true, ""],
  );
  assert.match(ok(await mcp(home, ["node", "list"])), /testnode/);

  // A changed definition rolls without downtime; `mcp rollback` goes back; status lists both.
  assert.match((await mcp(home, ["rollback", "hello"])).err, /\(no_previous_version\)/);
  const def = `${home}/mcp/services/hello.toml`;
  const v1 = readFileSync(def, "utf8");
  const v2 = v1.replace("[[components.routes]]", 'env = ["V=2"]\n[[components.routes]]');
  writeFileSync(def, `${v2}[components.health]\nhttp = "/"\n`);
  assert.match(ok(await mcp(home, ["deploy", "hello"])), /container hello-web: rolled/);
  assert.match(
    ok(await mcp(home, ["rollback", "hello"])),
    /rolled hello on testnode back to the definition of deploy #1\n {2}container hello-web: rolled/,
  );
  writeFileSync(def, v1);
  const hist = JSON.parse(ok(await mcp(home, ["status", "hello", "--json"]))).history;
  assert.deepEqual(
    hist.map((h: { kind: string; outcome: string }) => [h.kind, h.outcome]),
    [
      ["rollback", "ok"],
      ["deploy", "ok"],
      ["deploy", "ok"],
    ],
  );
  assert.equal((await httpsGet(pf.proxy.port, HOST, pf.cert.ca)).body, "hello, end to end\n");

  ok(await mcp(home, ["stop", "hello"]));
  const routes = await new ProxyRoutes(pf.proxy.socket).routesOn("web");
  assert.equal(routes.has(HOST), false);
  assert.deepEqual(await digA(pf.mcns.dnsPort, HOST), []);
  assert.equal(JSON.parse(ok(await mcp(home, ["ps", "--json"])))[0].state, "exited");

  ok(await mcp(home, ["undeploy", "hello"]));
  assert.equal(await p.client.inspectContainer("hello-web"), undefined);
  assert.equal((await new ProxyRoutes(pf.proxy.socket).routesOn("web")).has(HOST), false);
  assert.deepEqual(await digA(pf.mcns.dnsPort, HOST), []);
  const db = new Database(dir.join("mcp-agent.sqlite"), { readonly: true });
  try {
    assertRegistryEmpty(db);
  } finally {
    db.close();
  }
});

test("a misspelt definition is refused by the CLI, naming the file and the field", async () => {
  writeFileSync(
    `${home}/mcp/services/typo.toml`,
    `name = "typo"\nnode = "testnode"\n[[components]]\nname = "web"\nimage = "${IMAGE}"\n[[components.routes]]\nport = 443\nmode = "l7"\npubilc = true\n`,
  );
  const r = await mcp(home, ["deploy", "typo"]);
  assert.equal(r.code, 1);
  assert.match(r.err, /typo\.toml/);
  assert.match(
    r.err,
    /components\[0\]\.routes\[0\]\.pubilc: unknown key \(did you mean public\?\)/,
  );
});

test("a guest cannot deploy; no token at all is unauthenticated", async () => {
  await pf.mcias.createAccount("visitor2", { type: "human", roles: ["guest"], password: PASSWORD });
  const guestHome = dir.join("guest");
  mkdirSync(`${guestHome}/mcp/services`, { recursive: true });
  const cfg = (await import("node:fs")).readFileSync(`${home}/mcp/mcp.toml`, "utf8");
  writeFileSync(`${guestHome}/mcp/mcp.toml`, cfg);
  writeFileSync(
    `${guestHome}/mcp/services/hello.toml`,
    (await import("node:fs")).readFileSync(`${home}/mcp/services/hello.toml`),
  );
  const none = await mcp(guestHome, ["deploy", "hello"]);
  assert.match(none.err, /\(unauthenticated\)/);
  ok(await mcp(guestHome, ["login", "visitor2"], { MCIAS_PASSWORD: PASSWORD }));
  const guest = await mcp(guestHome, ["deploy", "hello"]);
  assert.match(guest.err, /\(guest_denied\)/);
});
