// Admin API over the Unix socket, driven by mcproxyctl: routes take effect without a restart and
// survive one; errors carry stable codes; export/seed round-trip.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ProxyAdminService, RouteMode } from "@metacircular/proto/mcproxy/v1/admin_pb";
import {
  createTestCA,
  makeTempDir,
  REPO_ROOT,
  startMcias,
  type TestCA,
} from "@metacircular/testkit";
import { adminClient } from "../src/cli/admin-client.ts";
import { type Backend, httpBackend } from "./helpers/backends.ts";
import { curl, resolveArg } from "./helpers/clients.ts";
import { launch, type ProxyProcess, startProxy } from "./helpers/proxy-process.ts";

const CTL = `${REPO_ROOT}/services/mc-proxy/src/cmd/mcproxyctl.ts`;

function ctl(
  socket: string,
  args: string[],
  cwd = REPO_ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [
        "--import",
        resolve(REPO_ROOT, "node_modules/tsx/dist/loader.mjs"),
        CTL,
        "--socket",
        socket,
        ...args,
      ],
      // No CLI profile: the socket comes from --socket only.
      { cwd, env: { ...process.env, XDG_CONFIG_HOME: resolve(cwd, "no-such-config") } },
      (err, stdout, stderr) =>
        res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("admin API and mcproxyctl", () => {
  const dir = makeTempDir("mcp-admin-");
  let ca: TestCA;
  let proxy: ProxyProcess;
  let backend: Backend;
  let port = 0;

  before(async () => {
    ca = createTestCA();
    backend = await httpBackend("admin-added");
    // A fixed port so the listener address is the same after the restart.
    proxy = await startProxy(dir.path, { listeners: [{ name: "web", addr: "127.0.0.1:0" }] });
    port = proxy.port("web");
  });

  after(async () => {
    await proxy?.stop();
    await backend?.close();
    ca?.remove();
    dir.remove();
  });

  it("creates the socket with mode 0660", () => {
    assert.equal(statSync(proxy.socket).mode & 0o777, 0o660);
  });

  it("a route added through the socket takes effect at once and survives a restart", async () => {
    const leaf = ca.issue(["new.example.test"]);
    const get = () =>
      curl([
        ...resolveArg("new.example.test", port),
        "--cacert",
        ca.certPath,
        `https://new.example.test:${port}/`,
      ]);
    assert.notEqual((await get()).code, 0);
    const add = await ctl(proxy.socket, [
      "--json",
      "routes",
      "add",
      "web",
      "New.Example.test",
      backend.addr,
      "--mode",
      "l7",
      "--cert",
      leaf.certPath,
      "--key",
      leaf.keyPath,
    ]);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(JSON.parse(add.stdout).replaced, undefined);
    // Relative --cert/--key resolve from the caller's directory, not the server's.
    const again = await ctl(
      proxy.socket,
      [
        "--json",
        "route",
        "add",
        "web",
        "new.example.test",
        backend.addr,
        "--mode",
        "l7",
        "--cert",
        basename(leaf.certPath),
        "--key",
        basename(leaf.keyPath),
      ],
      dirname(leaf.certPath),
    );
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).replaced, true);
    const noKey = await ctl(proxy.socket, [
      "route",
      "add",
      "web",
      "x.test",
      backend.addr,
      "--mode",
      "l7",
      "--cert",
      leaf.certPath,
    ]);
    assert.equal(noKey.code, 1);
    // The route rule is the server's (one for every client); the CLI only translates flags.
    assert.equal(
      noKey.stderr,
      "error: tls_cert: l7 routes need tls_cert and tls_key (invalid_route)\n",
    );
    const r = await get();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).backend, "admin-added");

    const list = await ctl(proxy.socket, ["routes", "list"]);
    assert.match(list.stdout, /new\.example\.test\s+l7\s+127\.0\.0\.1:\d+/);

    // Pin the listener to its current port (a listener update through the API), then restart:
    // routes and listeners come from SQLite, not from the route-less config.
    const pin = await ctl(proxy.socket, ["listeners", "add", "web", `127.0.0.1:${port}`]);
    assert.equal(pin.code, 0, pin.stderr);
    assert.equal((await get()).code, 0);
    await proxy.stop();
    proxy = await launch(proxy.configPath, proxy.socket);
    const listed = await adminClient(proxy.socket).listRoutes({});
    assert.deepEqual(
      listed.routes.map((x) => x.hostname),
      ["new.example.test"],
    );
    assert.equal(proxy.port("web"), port);
    const after = await get();
    assert.equal(after.code, 0, after.stderr);
  });

  it("refuses bad input with stable codes", async () => {
    const c = adminClient(proxy.socket);
    await assert.rejects(
      c.addRoute({
        route: { listener: "web", hostname: "x.test", backend: "nope", mode: RouteMode.L4 },
      }),
      (e: unknown) => e instanceof ConnectError && e.code === Code.InvalidArgument,
    );
    await assert.rejects(
      c.addRoute({
        route: { listener: "nope", hostname: "x.test", backend: "127.0.0.1:1", mode: RouteMode.L4 },
      }),
      (e: unknown) =>
        e instanceof ConnectError &&
        e.code === Code.NotFound &&
        e.metadata.get("mc-error-code") === "listener_not_found",
    );
    await assert.rejects(
      c.addRoute({
        route: { listener: "web", hostname: "x.test", backend: "127.0.0.1:1", mode: RouteMode.L7 },
      }),
      (e: unknown) => e instanceof ConnectError && e.code === Code.InvalidArgument,
    );
    // L4 passes TLS through: a certificate or health path on it is refused, not ignored.
    await assert.rejects(
      c.addRoute({
        route: {
          listener: "web",
          hostname: "x.test",
          backend: "127.0.0.1:1",
          mode: RouteMode.L4,
          healthPath: "/healthz",
        },
      }),
      (e: unknown) =>
        e instanceof ConnectError &&
        e.code === Code.InvalidArgument &&
        e.metadata.get("mc-error-code") === "invalid_route" &&
        e.rawMessage === "health_path: applies to l7 routes only",
    );
    await assert.rejects(
      c.removeRoute({ listener: "web", hostname: "absent.test" }),
      (e: unknown) => e instanceof ConnectError && e.code === Code.NotFound,
    );
    const r = await ctl(proxy.socket, ["firewall", "deny", "not-an-ip"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: [^\n]*not an IP[^\n]* \(invalid_firewall_rule\)\n$/i);
  });

  it("status, listeners, firewall and export/seed round-trip", async () => {
    const st = await ctl(proxy.socket, ["--json", "status"]);
    assert.equal(st.code, 0, st.stderr);
    const s = JSON.parse(st.stdout);
    assert.equal(s.version, "0.1.0");
    assert.equal(s.routeCount, 1);
    const fw = await ctl(proxy.socket, ["firewall", "deny", "192.0.2.0/24"]);
    assert.match(fw.stdout, /deny:\s+192\.0\.2\.0\/24/);
    const exp = await ctl(proxy.socket, ["export"]);
    assert.match(exp.stdout, /\[\[listeners\]\]/);
    assert.match(exp.stdout, /192\.0\.2\.0\/24/);
    const file = dir.join("seed.toml");
    writeFileSync(file, exp.stdout.replace(/\[\[listeners\.routes\]\][\s\S]*?(?=\n\[|$)/, ""));
    const seeded = await ctl(proxy.socket, ["--json", "seed", file]);
    assert.equal(seeded.code, 0, seeded.stderr);
    assert.deepEqual(JSON.parse(seeded.stdout), { listeners: 1, routes: 0 });
    const routes = await ctl(proxy.socket, ["routes", "list"]);
    assert.equal(routes.stdout.trim(), "no routes");
  });
});

describe("admin API over TCP", () => {
  it("requires an MCIAS token on every method", async (t) => {
    const dir = makeTempDir("mcp-tcpadmin-");
    t.after(() => dir.remove());
    const proxy = await startProxy(dir.path, {
      admin: { socket: dir.join("proxy.sock"), grpc_addr: "127.0.0.1:0" },
      mcias: { server_url: "https://127.0.0.1:1", service_name: "mc-proxy" },
      listeners: [{ name: "web", addr: "127.0.0.1:0" }],
    });
    try {
      const m = /"url":"(http:[^"]+)".*"grpc server listening"/.exec(proxy.child.output());
      assert.ok(m, `log names the TCP admin URL:\n${proxy.child.output()}`);
      const client = createClient(
        ProxyAdminService,
        createGrpcTransport({ baseUrl: m[1] as string }),
      );
      await assert.rejects(
        client.getStatus({}),
        (e: unknown) => e instanceof ConnectError && e.code === Code.Unauthenticated,
      );
      await assert.rejects(
        client.addRoute(
          {
            route: {
              listener: "web",
              hostname: "x.test",
              backend: "127.0.0.1:1",
              mode: RouteMode.L4,
            },
          },
          { headers: { authorization: "Bearer not-a-real-token" } },
        ),
        (e: unknown) =>
          e instanceof ConnectError && [Code.Unauthenticated, Code.Unavailable].includes(e.code),
      );
      assert.deepEqual((await adminClient(proxy.socket).listRoutes({})).routes, []);
    } finally {
      await proxy.stop();
    }
  });
});

describe("admin API over TCP with a real MCIAS", () => {
  it("takes only admin tokens issued for mc-proxy; tokens for other services are refused", async (t) => {
    const dir = makeTempDir("mcp-tcpauthz-");
    t.after(() => dir.remove());
    const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
    t.after(() => mcias.stop());
    await mcias.createAccount("ops", { roles: ["user"], password: "ops-password-123" });
    await mcias.createAccount("deployer", { type: "system" });
    const login = async (username: string, password: string, service: string) => {
      const r = await mcias.api(
        "POST",
        "/v1/auth/login",
        { username, password, service_name: service },
        "",
      );
      assert.equal(r.status, 200, await r.clone().text());
      return ((await r.json()) as { token: string }).token;
    };
    const tokens = {
      admin: await login(mcias.adminUsername, mcias.adminPassword, "mc-proxy"),
      user: await login("ops", "ops-password-123", "mc-proxy"),
      // Valid MCIAS tokens, but for other services: MCIAS itself and MCNS.
      adminForMcias: mcias.adminToken,
      adminForMcns: await login(mcias.adminUsername, mcias.adminPassword, "mcns"),
      systemForMcns: await mcias.issueSystemToken("deployer", "mcns"),
    };
    const proxy = await startProxy(dir.path, {
      admin: { socket: dir.join("proxy.sock"), grpc_addr: "127.0.0.1:0" },
      mcias: { server_url: mcias.url, service_name: "mc-proxy" },
      listeners: [{ name: "web", addr: "127.0.0.1:0" }],
    });
    t.after(() => proxy.stop());
    const m = /"url":"(http:[^"]+)".*"grpc server listening"/.exec(proxy.child.output());
    assert.ok(m, proxy.child.output());
    const client = createClient(ProxyAdminService, createGrpcTransport({ baseUrl: m[1]! }));
    const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
    const outcome = async (p: Promise<unknown>) => {
      try {
        await p;
        return "ok";
      } catch (e) {
        return Code[ConnectError.from(e).code];
      }
    };
    assert.equal(await outcome(client.getStatus({}, as(tokens.admin))), "ok");
    assert.equal(await outcome(client.listRoutes({}, as(tokens.admin))), "ok");
    assert.equal(await outcome(client.getStatus({}, as(tokens.user))), "PermissionDenied");
    for (const who of ["adminForMcias", "adminForMcns", "systemForMcns"] as const)
      for (const call of [
        () => client.getStatus({}, as(tokens[who])),
        () => client.getFirewall({}, as(tokens[who])),
        () =>
          client.addRoute(
            {
              route: {
                listener: "web",
                hostname: "x.test",
                backend: "127.0.0.1:1",
                mode: RouteMode.L4,
              },
            },
            as(tokens[who]),
          ),
      ])
        assert.equal(await outcome(call()), "Unauthenticated", who);
    assert.deepEqual((await adminClient(proxy.socket).listRoutes({})).routes, []);
  });
});
