// The lean HTTP/2 front end ([server] h2_front = "lean") end to end with real clients: curl
// uploads and downloads large bodies (flow control both ways), h2load with many concurrent
// streams, a gRPC server stream, an HTTP/2 backend with trailers, proxy error answers, and a raw
// client flooding RST_STREAM that must be told to calm down.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect as h2connect } from "node:http2";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { EchoService } from "@metacircular/proto/common/v1/echo_pb";
import { createTestCA, freePort, makeTempDir, type TestCA } from "@metacircular/testkit";
import { echoHandler, h2cBackend } from "./helpers/backends.ts";
import { curl, resolveArg } from "./helpers/clients.ts";
import { grpcBackend } from "./helpers/grpc-backend.ts";
import { PREFACE, parseFrames, request, rst, settings } from "./helpers/h2-wire.ts";
import { type ProxyProcess, startProxy } from "./helpers/proxy-process.ts";

const BIG = randomBytes(6 << 20);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("lean HTTP/2 front end", () => {
  const dir = makeTempDir("mcp-h2lean-");
  let ca: TestCA;
  let proxy: ProxyProcess;
  let port = 0;
  const closers: (() => Promise<void>)[] = [];
  const route = (hostname: string, backend: string, extra: Record<string, unknown> = {}) => {
    const leaf = ca.issue([hostname]);
    return {
      hostname,
      backend,
      mode: "l7",
      tls_cert: leaf.certPath,
      tls_key: leaf.keyPath,
      ...extra,
    };
  };

  before(async () => {
    ca = createTestCA();
    const echo = echoHandler("h1");
    const web = createServer((req, res) => {
      if (req.url === "/big") {
        res.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-length": BIG.length,
        });
        res.end(BIG);
      } else echo(req, res);
    });
    await new Promise<void>((r) => web.listen(0, "127.0.0.1", () => r()));
    const webAddr = `127.0.0.1:${(web.address() as AddressInfo).port}`;
    const grpc = await grpcBackend("g");
    const h2b = await h2cBackend("h2");
    closers.push(() => new Promise((r) => web.close(() => r())), grpc.close, h2b.close);
    proxy = await startProxy(dir.path, {
      server: { workers: 0, shutdown_timeout_ms: 2000, access_log: false, h2_front: "lean" },
      listeners: [
        {
          name: "web",
          addr: "127.0.0.1:0",
          routes: [
            route("web.example.test", webAddr),
            route("grpc.example.test", grpc.addr),
            route("h2.example.test", h2b.addr, { backend_h2: true }),
            route("down.example.test", `127.0.0.1:${await freePort()}`),
          ],
        },
      ],
    });
    port = proxy.port("web");
  });

  after(async () => {
    await proxy?.stop();
    for (const c of closers) await c();
    ca?.remove();
    dir.remove();
  });

  const curl2 = (host: string, path: string, args: string[] = []) =>
    curl([
      "--http2",
      "--max-time",
      "30",
      ...resolveArg(host, port),
      "--cacert",
      ca.certPath,
      ...args,
      `https://${host}:${port}${path}`,
    ]);

  it("curl downloads 6 MiB over HTTP/2 intact (response flow control)", async () => {
    const out = dir.join("down.bin");
    const c = await curl2("web.example.test", "/big", [
      "-o",
      out,
      "-w",
      "%{http_version} %{http_code}",
    ]);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, "2 200");
    assert.equal(sha(readFileSync(out)), sha(BIG));
  });

  it("curl uploads 6 MiB and gets it echoed back intact (request flow control)", async () => {
    const src = dir.join("up.bin");
    const out = dir.join("echoed.bin");
    writeFileSync(src, BIG);
    const c = await curl2("web.example.test", "/echo", [
      "--data-binary",
      `@${src}`,
      "-o",
      out,
      "-w",
      "%{http_code}",
    ]);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, "200");
    assert.equal(sha(readFileSync(out)), sha(BIG));
  });

  it("h2load: 3,000 requests over 4 connections with 100 concurrent streams each", async () => {
    const out = await new Promise<string>((res) => {
      execFile(
        "h2load",
        [
          "-n",
          "3000",
          "-c",
          "4",
          "-m",
          "100",
          `--connect-to=127.0.0.1:${port}`,
          `https://web.example.test:${port}/many`,
        ],
        (_e, stdout, stderr) => res(stdout + stderr),
      );
    });
    assert.match(out, /requests: 3000 total, 3000 started, 3000 done, 3000 succeeded, 0 failed/);
    assert.match(out, /Application protocol: h2/);
  });

  it("a gRPC server stream of 300 messages through L7", async () => {
    const c = createClient(
      EchoService,
      createGrpcTransport({
        baseUrl: `https://grpc.example.test:${port}`,
        nodeOptions: { ca: ca.cert, servername: "grpc.example.test", host: "127.0.0.1" } as never,
      }),
    );
    let n = 0;
    for await (const m of c.streamEcho({ message: "m", repeat: 300 }))
      assert.equal(m.message, `m#${n++}`);
    assert.equal(n, 300);
  });

  it("an HTTP/2 backend: request body and response trailers pass through", async () => {
    const s = h2connect(`https://127.0.0.1:${port}`, {
      ca: ca.cert,
      servername: "h2.example.test",
    });
    const body = randomBytes(300_000);
    const req = s.request({ ":method": "POST", ":path": "/echo", ":authority": "h2.example.test" });
    const chunks: Buffer[] = [];
    let trailers: Record<string, unknown> = {};
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("trailers", (t) => (trailers = t));
    req.end(body);
    await new Promise((r) => req.on("end", r));
    s.close();
    assert.equal(sha(Buffer.concat(chunks)), sha(body));
    assert.equal(trailers["x-body-sha256"], sha(body));
  });

  it("proxy errors keep their JSON answer (backend down → 502 bad_gateway)", async () => {
    const c = await curl2("down.example.test", "/", ["-w", "\\n%{http_code}"]);
    const [json, status] = c.stdout.split("\n");
    assert.equal(status, "502");
    assert.equal(JSON.parse(json ?? "").error.code, "bad_gateway");
  });

  it("a client flooding RST_STREAM (rapid reset) gets GOAWAY ENHANCE_YOUR_CALM", async () => {
    const sock = tlsConnect({
      host: "127.0.0.1",
      port,
      servername: "web.example.test",
      ca: ca.cert,
      ALPNProtocols: ["h2"],
    });
    await new Promise((r) => sock.once("secureConnect", r));
    assert.equal(sock.alpnProtocol, "h2");
    let got = Buffer.alloc(0);
    sock.on("data", (d: Buffer) => (got = Buffer.concat([got, d])));
    sock.on("error", () => {});
    const closed = new Promise((r) => sock.once("close", r));
    const burst: Buffer[] = [PREFACE, settings()];
    for (let i = 0; i < 1000; i++) burst.push(request(2 * i + 1), rst(2 * i + 1, 8));
    sock.write(Buffer.concat(burst));
    await closed;
    const goaway = parseFrames(got).find((f) => f.type === 7);
    assert.equal(goaway?.payload.readUInt32BE(4), 11);
  });
});
