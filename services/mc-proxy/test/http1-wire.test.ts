// The lean HTTP/1.1 path on the wire, through the real proxy: pipelining, keep-alive reuse of
// backend connections, chunked request bodies with trailers, HEAD, HTTP/1.0, smuggling attempts
// refused with 400, a dead backend answered with 502, and HTTP/2 clients over the same pool.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { connect as h2connect } from "node:http2";
import { request as httpsRequest } from "node:https";
import { createServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { createTestCA, makeTempDir, type TestCA } from "@metacircular/testkit";
import { type Backend, httpBackend } from "./helpers/backends.ts";
import { h2get } from "./helpers/clients.ts";
import { type ProxyProcess, startProxy } from "./helpers/proxy-process.ts";

/** Write raw bytes over TLS (ALPN http/1.1) and collect everything until the proxy closes. */
function exchange(port: number, host: string, ca: string, payload: string): Promise<string> {
  return new Promise((res, rej) => {
    const s = tlsConnect(
      { host: "127.0.0.1", port, servername: host, ca, ALPNProtocols: ["http/1.1"] },
      () => s.write(payload),
    );
    const parts: Buffer[] = [];
    s.on("data", (d: Buffer) => parts.push(d));
    s.on("error", rej);
    s.on("close", () => res(Buffer.concat(parts).toString("latin1")));
  });
}

const statuses = (raw: string) => [...raw.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => m[1]);

// Every case runs against both HTTP/1.1 front ends ([server] h1_front).
for (const front of ["lean", "node"] as const)
  describe(`HTTP/1.1 on the wire through the real proxy (h1_front = ${front})`, () => {
    const dir = makeTempDir("mcp-h1wire-");
    let ca: TestCA;
    let proxy: ProxyProcess;
    let backend: Backend;
    let dead: Server;
    let backendConns = 0;
    let port = 0;
    const H = "web.example.test";

    before(async () => {
      ca = createTestCA();
      const leaf = ca.issue([H, "dead.example.test"]);
      backend = await httpBackend("plain");
      backend.server.on("connection", () => backendConns++);
      // A backend that accepts and closes at once.
      dead = createServer((s) => s.destroy());
      await new Promise<void>((r) => dead.listen(0, "127.0.0.1", () => r()));
      const deadPort = (dead.address() as { port: number }).port;
      const tls = { mode: "l7", tls_cert: leaf.certPath, tls_key: leaf.keyPath };
      proxy = await startProxy(dir.path, {
        server: { workers: 0, shutdown_timeout_ms: 2000, access_log: false, h1_front: front },
        listeners: [
          {
            name: "web",
            addr: "127.0.0.1:0",
            routes: [
              { hostname: H, backend: backend.addr, ...tls },
              { hostname: "dead.example.test", backend: `127.0.0.1:${deadPort}`, ...tls },
            ],
          },
        ],
      });
      port = proxy.port("web");
    });

    after(async () => {
      await proxy?.stop();
      await backend?.close();
      dead?.close();
      ca?.remove();
      dir.remove();
    });

    /** POST /echo over HTTP/1.1 on a fresh connection; `hold` may pause the response stream. */
    const postEcho = (body: Buffer, hold?: (r: IncomingMessage) => () => void) =>
      new Promise<{ data: Buffer; trailer: string | undefined }>((res, rej) => {
        const r = httpsRequest(
          {
            host: "127.0.0.1",
            port,
            servername: H,
            ca: ca.cert,
            method: "POST",
            path: "/echo",
            headers: { host: H, "content-length": body.length },
            agent: false,
          },
          (resp) => {
            const release = hold?.(resp) ?? (() => {});
            const parts: Buffer[] = [];
            resp.on("data", (d: Buffer) => parts.push(d));
            resp.on("end", () => {
              release();
              res({ data: Buffer.concat(parts), trailer: resp.trailers["x-body-sha256"] });
            });
          },
        );
        r.on("error", rej);
        r.end(body);
      });

    it("answers pipelined requests in order and reuses backend connections", async () => {
      const before = backendConns;
      const reqs = [1, 2, 3].map((i) => `GET /p${i} HTTP/1.1\r\nHost: ${H}\r\n\r\n`).join("");
      const raw = await exchange(
        port,
        H,
        ca.cert,
        `${reqs}GET /last HTTP/1.1\r\nHost: ${H}\r\nConnection: close\r\n\r\n`,
      );
      assert.deepEqual(statuses(raw), ["200", "200", "200", "200"]);
      const urls = [...raw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(urls, ["/p1", "/p2", "/p3", "/last"]);
      assert.match(raw, /connection: close/i);
      // The lean path runs pipelined requests one after the other on one pooled connection;
      // node:http hands them to its agent together (up to one connection each).
      if (front === "lean") assert.equal(backendConns - before, 1, "one pooled connection");
      else assert.ok(backendConns - before <= 4, "pooled connections");
    });

    it("streams a chunked request body and forwards the response trailers", async () => {
      const raw = await exchange(
        port,
        H,
        ca.cert,
        `POST /echo HTTP/1.1\r\nHost: ${H}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6;x=1\r\n world\r\n0\r\n\r\n`,
      );
      assert.deepEqual(statuses(raw), ["200"]);
      assert.match(raw, /transfer-encoding: chunked/i);
      assert.match(raw, /hello/);
      assert.match(raw, / world/);
      // sha256("hello world") in the trailer after the last chunk
      assert.match(
        raw,
        /0\r\nx-body-sha256: b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\r\n\r\n$/i,
      );
    });

    it("HEAD has no body and HTTP/1.0 closes after its response", async () => {
      const raw = await exchange(
        port,
        H,
        ca.cert,
        `HEAD /h HTTP/1.1\r\nHost: ${H}\r\n\r\nGET /ten HTTP/1.0\r\nHost: ${H}\r\n\r\n`,
      );
      assert.deepEqual(statuses(raw), ["200", "200"]);
      const [headPart, getPart] = raw.split(/(?=HTTP\/1\.1 200)/).filter(Boolean);
      assert.ok(headPart?.endsWith("\r\n\r\n"), "HEAD response carries no body");
      assert.match(getPart ?? "", /"url":"\/ten"/);
    });

    it("refuses request-smuggling shapes with 400 and closes", async () => {
      const attacks = [
        `POST / HTTP/1.1\r\nHost: ${H}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        `POST / HTTP/1.1\r\nHost: ${H}\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde`,
        `POST / HTTP/1.1\r\nHost: ${H}\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n`,
        `GET / HTTP/1.1\r\nHost: ${H}\r\n X: folded\r\n\r\n`,
        `POST / HTTP/1.1\r\nHost: ${H}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      ];
      for (const a of attacks) {
        const raw = await exchange(
          port,
          H,
          ca.cert,
          `${a}GET /smuggled HTTP/1.1\r\nHost: ${H}\r\n\r\n`,
        );
        assert.deepEqual(statuses(raw), ["400"], JSON.stringify(a));
        assert.doesNotMatch(raw, /smuggled/);
      }
    });

    it("answers 502 when the backend drops the connection", async () => {
      const raw = await exchange(
        port,
        "dead.example.test",
        ca.cert,
        "GET / HTTP/1.1\r\nHost: dead.example.test\r\n\r\n",
      );
      assert.deepEqual(statuses(raw), ["502"]);
      assert.match(raw, /"code":"bad_gateway"/);
    });

    it("streams 4 MiB up and back intact (bodies pass through reused read buffers)", async () => {
      const body = randomBytes(4 << 20);
      const got = await postEcho(body);
      const sha = createHash("sha256").update(body).digest("hex");
      assert.equal(got.data.length, body.length);
      assert.equal(createHash("sha256").update(got.data).digest("hex"), sha);
      assert.equal(got.trailer, sha);
    });

    it("keeps concurrent responses apart while slow clients hold data (shared read buffer)", async () => {
      // Backend reads of every connection land in one reused buffer: whatever a slow client's
      // stream still holds must have been copied. Distinct bodies, echoed concurrently over
      // HTTP/1.1 and HTTP/2, paused readers; every client must get exactly its own bytes.
      const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
      // A slow client stops reading for a while: socket buffers fill and the proxy's writes queue.
      const slowly = (r: NodeJS.ReadableStream & { pause(): unknown; resume(): unknown }) => {
        r.pause();
        const t = setTimeout(() => r.resume(), 400);
        return () => clearTimeout(t);
      };
      const h1 = async (body: Buffer, slow: boolean) =>
        (await postEcho(body, slow ? slowly : undefined)).data;
      // The client buffers what its paused streams have not read: allow more than the 10 MB default.
      const session = h2connect(`https://127.0.0.1:${port}`, {
        ca: ca.cert,
        servername: H,
        maxSessionMemory: 100,
      });
      const h2 = (body: Buffer, slow: boolean) =>
        new Promise<Buffer>((res, rej) => {
          const r = session.request({ ":method": "POST", ":path": "/echo", ":authority": H });
          const stop = slow ? slowly(r) : () => {};
          const parts: Buffer[] = [];
          r.on("data", (d: Buffer) => parts.push(d));
          r.on("end", () => {
            stop();
            res(Buffer.concat(parts));
          });
          r.on("error", rej);
          r.end(body);
        });
      const bodies = Array.from({ length: 8 }, () => randomBytes(6 << 20));
      const got = await Promise.all(
        bodies.map((b, i) => (i % 2 === 0 ? h1(b, i % 4 === 0) : h2(b, i % 4 === 1))),
      );
      session.close();
      for (const [i, b] of bodies.entries())
        assert.equal(sha(got[i] as Buffer), sha(b), `client ${i}`);
    });

    it("HTTP/2 clients share the same lean backend pool", async () => {
      const r = await h2get(port, H, ca.cert, "/via-h2");
      assert.equal(r.status, 200);
      const body = JSON.parse(r.body);
      assert.equal(body.url, "/via-h2");
      assert.equal(body.headers["x-forwarded-proto"], "https");
      assert.equal(body.headers.host, H);
    });
  });
