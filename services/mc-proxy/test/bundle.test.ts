// The deployable form: `npm run build` bundles mc-proxy into dist/mc-proxy.cjs, which runs on
// plain node and forks its cluster workers from the same file. Build it, start it with two
// workers, add an L7 route over the admin socket and proxy requests through it. A copy of the
// bundle outside the package cannot find the native addon: `io = "native"` must then refuse to
// start with the reason, and `io = "auto"` must fall back to node:net and say why.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { RouteMode } from "@metacircular/proto/mcproxy/v1/admin_pb";
import { createTestCA, makeTempDir, startProcess, writeCliProfile } from "@metacircular/testkit";
import { stringify } from "smol-toml";
import { adminClient } from "../src/cli/admin-client.ts";
import { httpBackend } from "./helpers/backends.ts";
import { curl, resolveArg } from "./helpers/clients.ts";
import { startProxy } from "./helpers/proxy-process.ts";

const PKG = resolve(import.meta.dirname, "..");

describe("dist bundle", () => {
  const dir = makeTempDir("mcp-bundle-");
  const ca = createTestCA();
  after(() => {
    dir.remove();
    ca.remove();
  });

  it("builds, runs with bundled workers and proxies through an API-added route", async () => {
    await promisify(execFile)("npm", ["run", "build"], { cwd: PKG });
    const backend = await httpBackend("bundled");
    const proxy = await startProxy(
      dir.path,
      {
        server: { workers: 2, shutdown_timeout_ms: 2000, access_log: false },
        listeners: [{ name: "web", addr: "127.0.0.1:0" }],
      },
      "bundled",
      resolve(PKG, "dist/mc-proxy.cjs"),
    );
    try {
      const status = await adminClient(proxy.socket).getStatus({});
      assert.equal(status.workers, 2);
      const leaf = ca.issue(["b.example.test"]);
      await adminClient(proxy.socket).addRoute({
        route: {
          listener: "web",
          hostname: "b.example.test",
          backend: backend.addr,
          mode: RouteMode.L7,
          tlsCert: leaf.certPath,
          tlsKey: leaf.keyPath,
        },
      });
      const port = proxy.port("web");
      for (let i = 0; i < 4; i++) {
        const r = await curl([
          ...resolveArg("b.example.test", port),
          "--cacert",
          ca.certPath,
          `https://b.example.test:${port}/${i}`,
        ]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).backend, "bundled");
      }
    } finally {
      assert.equal(await proxy.stop(), 0);
      await backend.close();
    }
  });

  it("without its addon: io = native refuses to start, io = auto falls back to node:net", async () => {
    // Runs after the build above; a copy outside the package has no package root to find
    // native/build/ingress.node from.
    const lone = dir.join("lone");
    await promisify(execFile)("mkdir", ["-p", lone]);
    copyFileSync(resolve(PKG, "dist/mc-proxy.cjs"), `${lone}/mc-proxy.cjs`);
    // better-sqlite3 stays outside the bundle (native): found through NODE_PATH.
    const env = { ...process.env, NODE_PATH: resolve(PKG, "../../node_modules") };
    const config = (io: string) => {
      const path = `${lone}/${io}.toml`;
      writeFileSync(
        path,
        stringify({
          server: { workers: 0, io, shutdown_timeout_ms: 1000, access_log: false },
          admin: { socket: `${lone}/${io}.sock` },
          database: { path: `${lone}/${io}.db` },
          log: { level: "info" },
          listeners: [{ name: "web", addr: "127.0.0.1:0" }],
        }),
      );
      return path;
    };
    const failed = await promisify(execFile)(
      process.execPath,
      [`${lone}/mc-proxy.cjs`, "server", "--config", config("native")],
      { cwd: lone, timeout: 20_000, env },
    ).then(
      () => null,
      (e: Error & { code?: number; stdout?: string; stderr?: string }) => e,
    );
    assert.ok(failed !== null, "io = native must not start without the addon");
    assert.notEqual(failed.code, 0);
    assert.match(
      `${failed.stdout}${failed.stderr}`,
      /io = \\?"native\\?" but the ingress addon cannot be used: package @metacircular\/mc-proxy not found/,
    );
    const auto = startProcess(process.execPath, {
      args: [`${lone}/mc-proxy.cjs`, "server", "--config", config("auto")],
      cwd: lone,
      env,
    });
    try {
      const line = await auto.waitForLine(/connection I\/O: node:net/, 20_000);
      assert.match(line.input ?? "", /"reason":"package @metacircular\/mc-proxy not found"/);
      await auto.waitForLine(/"msg":"ready"/, 20_000);
    } finally {
      assert.equal(await auto.stop(10_000), 0);
    }
  });
  it("the bundled mcproxyctl runs from outside the checkout with only the CLI profile", async () => {
    // Runs after the build above; a source mc-proxy is enough for the server side.
    const backend = await httpBackend("anywhere");
    const proxy = await startProxy(
      dir.path,
      { listeners: [{ name: "web", addr: "127.0.0.1:0" }] },
      "anywhere",
    );
    try {
      const home = dir.join("anywhere-home");
      mkdirSync(join(home, "certs"), { recursive: true });
      writeCliProfile(join(home, "config"), { socket: proxy.socket });
      const leaf = ca.issue(["anywhere.example.test"]);
      copyFileSync(leaf.certPath, join(home, "certs", basename(leaf.certPath)));
      copyFileSync(leaf.keyPath, join(home, "certs", basename(leaf.keyPath)));
      const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, "config") };
      const ctl = (args: string[]) =>
        spawnSync(process.execPath, [resolve(PKG, "dist/mcproxyctl.mjs"), ...args], {
          cwd: home,
          env,
          encoding: "utf8",
        });
      const help = ctl(["--help"]);
      assert.equal(help.status, 0, help.stderr);
      assert.match(
        help.stdout.replace(/\s+/g, " "),
        /--socket <path> mc-proxy's admin socket \(default: \S+, from profile, env: MCPROXY_SOCKET\)/,
      );
      const add = ctl([
        "route",
        "add",
        "web",
        "anywhere.example.test",
        backend.addr,
        "--mode",
        "l7",
        "--cert",
        `certs/${basename(leaf.certPath)}`,
        "--key",
        `certs/${basename(leaf.keyPath)}`,
      ]);
      assert.equal(add.status, 0, add.stderr);
      assert.match(add.stdout, /added anywhere\.example\.test/);
      const r = await curl([
        ...resolveArg("anywhere.example.test", proxy.port("web")),
        "--cacert",
        ca.certPath,
        `https://anywhere.example.test:${proxy.port("web")}/`,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).backend, "anywhere");
      const missing = ctl([
        "route",
        "add",
        "web",
        "x.test",
        backend.addr,
        "--mode",
        "l7",
        "--cert",
        "nope.crt",
        "--key",
        "nope.key",
      ]);
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /^error: [^\n]+ \([a-z_]+\)\n$/);
      assert.doesNotMatch(missing.stderr, /\[\d+\]/, "no gRPC code numbers");
    } finally {
      await proxy.stop();
      await backend.close();
    }
  });
});
