import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { after, before, test } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { promisify } from "node:util";
import { createTestCA, type TestCA, tempDirFor } from "@metacircular/testkit";
import { silentLogger } from "../log/logger.ts";
import { createApp } from "./app.ts";
import { type HttpServerHandle, serveHttp } from "./serve.ts";

const run = promisify(execFile);
let ca: TestCA;
let leaf: { certPath: string; keyPath: string };

before(() => {
  ca = createTestCA();
  leaf = ca.issue(["localhost", "127.0.0.1"]);
});
after(() => ca.remove());

function app() {
  return createApp({ service: "s", version: "9", logger: silentLogger() });
}

function handshake(port: number, maxVersion: "TLSv1.2" | "TLSv1.3"): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect(
      { host: "127.0.0.1", port, ca: ca.cert, servername: "localhost", maxVersion },
      () => {
        const v = s.getProtocol() ?? "";
        s.end();
        resolve(v);
      },
    );
    s.once("error", reject);
  });
}

test("with cert/key the server speaks TLS 1.3 and refuses a TLS 1.2 client", async (t) => {
  const srv = await serveHttp(app(), {
    listen: "127.0.0.1:0",
    tls: { cert: leaf.certPath, key: leaf.keyPath },
    logger: silentLogger(),
  });
  t.after(() => srv.close());
  assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(await handshake(srv.port, "TLSv1.3"), "TLSv1.3");
  await assert.rejects(handshake(srv.port, "TLSv1.2"), /protocol version|alert/i);
  const { stdout } = await run("curl", [
    "-sS",
    "--cacert",
    ca.certPath,
    `https://localhost:${srv.port}/v1/health`,
  ]);
  assert.equal(JSON.parse(stdout).status, "ok");
  const s12 = await sClient(srv.port, "-tls1_2");
  assert.notEqual(s12.code, 0);
  assert.match(s12.out, /alert protocol version|no protocols available|Cipher is \(NONE\)/i);
  const s13 = await sClient(srv.port, "-tls1_3");
  assert.equal(s13.code, 0);
  assert.match(s13.out, /TLSv1\.3/);
});

test("without cert/key it serves plain HTTP, also on IPv6 loopback", async (t) => {
  const srv = await serveHttp(app(), { listen: "[::1]:0", logger: silentLogger() });
  t.after(() => srv.close());
  assert.match(srv.url, /^http:\/\/\[::1\]:\d+$/);
  const res = await fetch(`${srv.url}/v1/health`);
  assert.equal(res.status, 200);
});

test("a taken port or bad address fails listen with an error", async (t) => {
  const a = await serveHttp(app(), { listen: "127.0.0.1:0", logger: silentLogger() });
  t.after(() => a.close());
  await assert.rejects(
    serveHttp(app(), { listen: `127.0.0.1:${a.port}`, logger: silentLogger() }),
    /EADDRINUSE/,
  );
  await assert.rejects(
    serveHttp(app(), { listen: "nonsense", logger: silentLogger() }),
    /host:port/,
  );
});

test("shutdown completes with idle keep-alive sockets and a stalled request", {
  timeout: 15_000,
}, async () => {
  const a = app();
  let release: (() => void) | undefined;
  a.get(
    "/v1/stall",
    () =>
      new Promise<Response>((r) => {
        release = () => r(new Response("late"));
      }),
  );
  const srv: HttpServerHandle = await serveHttp(a, {
    listen: "127.0.0.1:0",
    logger: silentLogger(),
    shutdownTimeoutMs: 300,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  // Two idle keep-alive connections.
  await Promise.all([0, 1].map(() => get(srv.port, "/v1/health", agent)));
  // One request the handler never answers.
  const stalled = get(srv.port, "/v1/stall", agent).then(
    () => "answered",
    (e: Error) => e.message,
  );
  while (!release) await new Promise((r) => setTimeout(r, 5));
  await srv.close();
  assert.match(await stalled, /socket hang up|ECONNRESET/);
  agent.destroy();
  await assert.rejects(fetch(`${srv.url}/v1/health`));
});

function sClient(port: number, flag: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, flag], {
      timeout: 10_000,
    });
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    p.stderr.on("data", (d) => {
      out += d;
    });
    p.stdin.end();
    p.once("close", (code) => resolve({ code, out }));
  });
}

function get(port: number, path: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, agent }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", reject);
    req.end();
  });
}

test("the body limit also stops chunked uploads without a Content-Length", async (t) => {
  const a = createApp({ service: "s", version: "9", logger: silentLogger(), bodyLimit: 1024 });
  a.post("/v1/upload", async (c) => c.json({ got: (await c.req.arrayBuffer()).byteLength }));
  const srv = await serveHttp(a, { listen: "127.0.0.1:0", logger: silentLogger() });
  t.after(() => srv.close());
  const { status, body } = await new Promise<{ status: number; body: string }>(
    (resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: srv.port, path: "/v1/upload", method: "POST" },
        (res) => {
          let body = "";
          res.on("data", (d) => {
            body += d;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.once("error", reject);
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(512, 1));
      req.end();
    },
  );
  assert.equal(status, 413);
  assert.equal(JSON.parse(body).error.code, "payload_too_large");
  const small = await fetch(`${srv.url}/v1/upload`, { method: "POST", body: "tiny" });
  assert.deepEqual(await small.json(), { got: 4 });
});

test("a request in flight at close() is answered with Connection: close", {
  timeout: 15_000,
}, async () => {
  const a = app();
  let started!: () => void;
  const running = new Promise<void>((r) => {
    started = r;
  });
  let finish!: () => void;
  a.get("/v1/work", async (c) => {
    started();
    await new Promise<void>((r) => {
      finish = r;
    });
    return c.text("finished");
  });
  const srv = await serveHttp(a, {
    listen: "127.0.0.1:0",
    logger: silentLogger(),
    shutdownTimeoutMs: 10_000,
  });
  const agent = new Agent({ keepAlive: true });
  const res = new Promise<{ body: string; connection: string | undefined }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: srv.port, path: "/v1/work", agent }, (r) => {
      let body = "";
      r.on("data", (d) => {
        body += d;
      });
      r.on("end", () => resolve({ body, connection: r.headers.connection }));
    });
    req.once("error", reject);
    req.end();
  });
  await running;
  const closed = srv.close();
  finish();
  assert.deepEqual(await res, { body: "finished", connection: "close" });
  await closed;
  agent.destroy();
});

test("a unix: listener replaces a stale socket, gets mode 0660 and refuses to clobber a file", async (t) => {
  const dir = tempDirFor(t, "mc-unix-");
  const path = dir.join("admin.sock");
  // A crashed process (SIGKILL) leaves its socket file behind.
  const crashed = spawn(
    process.execPath,
    [
      "-e",
      `require("net").createServer().listen(${JSON.stringify(path)}, () => console.log("up"))`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise((r) => crashed.stdout.once("data", r));
  crashed.kill("SIGKILL");
  await new Promise((r) => crashed.once("exit", r));
  assert.ok(statSync(path).isSocket());
  const srv = await serveHttp(app(), { listen: `unix:${path}`, logger: silentLogger() });
  t.after(() => srv.close());
  assert.equal(srv.url, `unix:${path}`);
  assert.equal(statSync(path).mode & 0o777, 0o660);
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpRequest({ socketPath: path, path: "/v1/health" }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once("error", reject);
    req.end();
  });
  assert.equal(status, 200);
  writeFileSync(dir.join("plain-file"), "keep me");
  await assert.rejects(
    serveHttp(app(), { listen: `unix:${dir.join("plain-file")}`, logger: silentLogger() }),
    /EADDRINUSE/,
  );
});
