// gRPC (L7 and L4), WebSocket upgrade, streaming bodies and trailers through the real proxy.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { connect as h2connect } from "node:http2";
import { after, before, describe, it } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { EchoService } from "@metacircular/proto/common/v1/echo_pb";
import { createTestCA, makeTempDir, type TestCA } from "@metacircular/testkit";
import { type Backend, httpBackend, wsFrame } from "./helpers/backends.ts";
import { grpcBackend } from "./helpers/grpc-backend.ts";
import { type ProxyProcess, startProxy } from "./helpers/proxy-process.ts";

// Every case runs against both front ends ([server] h2_front and h1_front).
for (const front of ["node", "lean"] as const) {
  describe(`protocols through the real proxy (h1_front = h2_front = ${front})`, () => {
    const dir = makeTempDir("mcp-proto-");
    let ca: TestCA;
    let proxy: ProxyProcess;
    let port = 0;
    const closers: (() => Promise<void>)[] = [];

    before(async () => {
      ca = createTestCA();
      const g7 = ca.issue(["grpc.example.test"]);
      const g4 = ca.issue(["grpc4.example.test"]);
      const web = ca.issue(["ws.example.test"]);
      const grpc7 = await grpcBackend("l7");
      const grpc4 = await grpcBackend("l4", { cert: g4.certPath, key: g4.keyPath });
      const http: Backend = await httpBackend("ws");
      closers.push(grpc7.close, grpc4.close, http.close);
      proxy = await startProxy(dir.path, {
        server: {
          workers: 0,
          shutdown_timeout_ms: 2000,
          access_log: false,
          h2_front: front,
          h1_front: front,
        },
        listeners: [
          {
            name: "web",
            addr: "127.0.0.1:0",
            routes: [
              {
                hostname: "grpc.example.test",
                backend: grpc7.addr,
                mode: "l7",
                tls_cert: g7.certPath,
                tls_key: g7.keyPath,
              },
              { hostname: "grpc4.example.test", backend: grpc4.addr, mode: "l4" },
              {
                hostname: "ws.example.test",
                backend: http.addr,
                mode: "l7",
                tls_cert: web.certPath,
                tls_key: web.keyPath,
              },
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

    const client = (host: string) =>
      createClient(
        EchoService,
        createGrpcTransport({
          baseUrl: `https://${host}:${port}`,
          nodeOptions: { ca: ca.cert, servername: host, host: "127.0.0.1" } as never,
        }),
      );

    it("gRPC unary, server streaming and error status through L7 (trailers forwarded)", async () => {
      const c = client("grpc.example.test");
      const r = await c.publicEcho({ message: "hi" });
      assert.equal(r.message, "l7:hi");
      assert.equal(r.caller, "127.0.0.1");
      const got: string[] = [];
      for await (const m of c.streamEcho({ message: "s", repeat: 3 })) got.push(m.message);
      assert.deepEqual(got, ["s#0", "s#1", "s#2"]);
      await assert.rejects(
        c.authedEcho({ message: "x" }),
        (e: unknown) => e instanceof ConnectError && e.code === Code.PermissionDenied,
      );
    });

    it("gRPC through L4 passthrough", async () => {
      const r = await client("grpc4.example.test").publicEcho({ message: "raw" });
      assert.equal(r.message, "l4:raw");
    });

    it("streams a 4 MiB HTTP/2 upload both ways and forwards response trailers", async () => {
      const body = randomBytes(4 << 20);
      const s = h2connect(`https://127.0.0.1:${port}`, {
        ca: ca.cert,
        servername: "ws.example.test",
      });
      const req = s.request({
        ":method": "POST",
        ":path": "/echo",
        ":authority": "ws.example.test",
      });
      const chunks: Buffer[] = [];
      let trailers: Record<string, unknown> = {};
      req.on("data", (d: Buffer) => chunks.push(d));
      req.on("trailers", (t) => (trailers = t));
      for (let o = 0; o < body.length; o += 65536) {
        if (!req.write(body.subarray(o, o + 65536))) await new Promise((r) => req.once("drain", r));
      }
      req.end();
      await new Promise((r) => req.on("end", r));
      s.close();
      const echoed = Buffer.concat(chunks);
      assert.equal(echoed.length, body.length);
      const sha = createHash("sha256").update(body).digest("hex");
      assert.equal(trailers["x-body-sha256"], sha);
    });

    it("WebSocket upgrade and echo over L7 (raw RFC 6455 handshake)", async () => {
      const sock = tlsConnect({
        host: "127.0.0.1",
        port,
        servername: "ws.example.test",
        ca: ca.cert,
        ALPNProtocols: ["http/1.1"],
      });
      await new Promise((r) => sock.once("secureConnect", r));
      sock.write(
        "GET /chat HTTP/1.1\r\nHost: ws.example.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      );
      let buf = Buffer.alloc(0);
      const waitFor = (pred: (b: Buffer) => boolean) =>
        new Promise<void>((res) => {
          const check = () => {
            if (pred(buf)) {
              sock.off("data", onData);
              res();
            }
          };
          const onData = (d: Buffer) => {
            buf = Buffer.concat([buf, d]);
            check();
          };
          sock.on("data", onData);
          check();
        });
      await waitFor((b) => b.includes("\r\n\r\n"));
      const head = buf.toString("latin1", 0, buf.indexOf("\r\n\r\n"));
      assert.match(head, /^HTTP\/1\.1 101/);
      assert.match(head, /sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/i);
      assert.match(head, /x-forwarded-for-seen: 127\.0\.0\.1/);
      buf = buf.subarray(buf.indexOf("\r\n\r\n") + 4);
      sock.write(wsFrame("hello proxy"));
      await waitFor((b) => b.length >= 2 + 11);
      assert.equal(buf[0], 0x81);
      assert.equal(buf.toString("utf8", 2, 13), "hello proxy");
      sock.destroy();
    });
  });
}
