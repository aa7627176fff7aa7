// Two chained proxies (edge → origin) with PROXY protocol, and the firewall (deny, GeoIP,
// connection and request rate limits) evaluated on the real client address. Loopback aliases
// 127.0.0.x stand in for distinct clients.
import assert from "node:assert/strict";
import { connect as h2connect } from "node:http2";
import { createServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { type ConnectionOptions, connect as tlsConnect } from "node:tls";
import { FirewallRuleKind } from "@metacircular/proto/mcproxy/v1/admin_pb";
import { createTestCA, makeTempDir, type TestCA } from "@metacircular/testkit";
import { adminClient } from "../src/cli/admin-client.ts";
import { type Backend, httpBackend } from "./helpers/backends.ts";
import { writeCountryMmdb } from "./helpers/mmdb-writer.ts";
import { IO_MODES, type ProxyProcess, startProxy, withIo } from "./helpers/proxy-process.ts";

/** Connect from `local`, do a TLS handshake for `sni`; "ok", or the error code (ECONNRESET for RST). */
function probe(port: number, sni: string, ca: string, local: string): Promise<string> {
  return new Promise((res) => {
    const opts = { host: "127.0.0.1", port, localAddress: local, servername: sni, ca };
    const s = tlsConnect(opts as ConnectionOptions, () => {
      s.destroy();
      res("ok");
    });
    s.on("error", (e: Error & { code?: string }) => res(e.code ?? e.message));
    s.on("close", () => res("closed"));
  });
}

function h2requests(
  port: number,
  sni: string,
  ca: string,
  local: string,
  n: number,
): Promise<{ statuses: number[]; bodies: string[] }> {
  return new Promise((res, rej) => {
    const c = h2connect(`https://127.0.0.1:${port}`, {
      ca,
      servername: sni,
      localAddress: local,
    } as never);
    c.on("error", rej);
    const statuses: number[] = [];
    const bodies: string[] = [];
    const next = (i: number) => {
      if (i === n) {
        c.close();
        return res({ statuses, bodies });
      }
      const r = c.request({ ":path": "/", ":authority": sni });
      let body = "";
      r.setEncoding("utf8");
      r.on("response", (h) => statuses.push(Number(h[":status"])));
      r.on("data", (d: string) => (body += d));
      r.on("end", () => {
        bodies.push(body);
        next(i + 1);
      });
      r.on("error", rej);
    };
    next(0);
  });
}

for (const io of IO_MODES) {
  describe(`PROXY protocol chain and firewall (io=${io})`, () => {
    const dir = makeTempDir("mcp-edge-");
    let ca: TestCA;
    let origin: ProxyProcess;
    let edge: ProxyProcess;
    let backend: Backend;
    let headerSink: Server;
    const seenHeaders: string[] = [];

    before(async () => {
      ca = createTestCA();
      const app = ca.issue(["app.example.test"]);
      backend = await httpBackend("app");
      headerSink = createServer((s) => {
        s.once("data", (d: Buffer) => {
          seenHeaders.push(d.toString("latin1", 0, d.indexOf("\r\n")));
          s.destroy();
        });
      });
      await new Promise<void>((r) => headerSink.listen(0, "127.0.0.1", () => r()));
      const sinkPort = (headerSink.address() as { port: number }).port;
      const geo = dir.join("geo.mmdb");
      writeCountryMmdb(geo, { "127.0.0.3/32": "KP", "127.0.0.0/31": "NZ" });
      origin = await startProxy(
        dir.path,
        withIo(io, {
          listeners: [
            {
              name: "origin",
              addr: "127.0.0.1:0",
              proxy_protocol: true,
              trusted_proxies: ["127.0.0.1/32"],
              routes: [
                {
                  hostname: "app.example.test",
                  backend: backend.addr,
                  mode: "l7",
                  tls_cert: app.certPath,
                  tls_key: app.keyPath,
                },
                {
                  hostname: "raw.example.test",
                  backend: `127.0.0.1:${sinkPort}`,
                  mode: "l4",
                  send_proxy: 1,
                },
              ],
            },
          ],
          firewall: {
            deny: ["127.0.0.6"],
            blocked_countries: ["KP"],
            geoip_db: geo,
            request_rate: { rate: 0.001, burst: 3 },
          },
        }),
        "origin",
      );
      const originAddr = origin.listeners.origin as string;
      edge = await startProxy(
        dir.path,
        withIo(io, {
          listeners: [
            {
              name: "edge",
              addr: "127.0.0.1:0",
              routes: [
                { hostname: "app.example.test", backend: originAddr, mode: "l4", send_proxy: 2 },
                { hostname: "raw.example.test", backend: originAddr, mode: "l4", send_proxy: 2 },
              ],
            },
          ],
          firewall: {
            conn_rate: { rate: 0.001, burst: 3 },
            allow: ["127.0.0.2", "127.0.0.3", "127.0.0.5", "127.0.0.6", "127.0.0.8"],
          },
        }),
        "edge",
      );
    });

    after(async () => {
      await edge?.stop();
      await origin?.stop();
      await backend?.close();
      await new Promise((r) => headerSink?.close(r));
      ca?.remove();
      dir.remove();
    });

    it("the backend sees the original client through edge (PROXY v2) and origin (X-Forwarded-For)", async () => {
      const r = await h2requests(edge.port("edge"), "app.example.test", ca.cert, "127.0.0.2", 1);
      assert.deepEqual(r.statuses, [200]);
      const body = JSON.parse(r.bodies[0] ?? "");
      assert.equal(body.headers["x-forwarded-for"], "127.0.0.2");
      assert.equal(body.headers["x-real-ip"], "127.0.0.2");
    });

    it("origin re-emits the client address as PROXY v1 to an L4 backend", async () => {
      await probe(edge.port("edge"), "raw.example.test", ca.cert, "127.0.0.8");
      assert.match(seenHeaders.at(-1) ?? "", /^PROXY TCP4 127\.0\.0\.8 127\.0\.0\.1 \d+ \d+$/);
    });

    it("the origin firewall uses the PROXY address: denied and GeoIP-blocked clients get a TCP reset", async () => {
      assert.equal(await probe(edge.port("edge"), "app.example.test", ca.cert, "127.0.0.2"), "ok");
      // Direct to the origin from an untrusted source: no PROXY header expected, firewall on the peer.
      assert.equal(
        await probe(origin.port("origin"), "app.example.test", ca.cert, "127.0.0.3"),
        "ECONNRESET",
      );
      // Through the edge: the origin sees 127.0.0.1 as peer but blocks on the PROXY source.
      assert.notEqual(
        await probe(edge.port("edge"), "app.example.test", ca.cert, "127.0.0.6"),
        "ok",
      );
      assert.notEqual(
        await probe(edge.port("edge"), "app.example.test", ca.cert, "127.0.0.3"),
        "ok",
      );
    });

    it("rate-limits new connections per IP at the edge", async () => {
      const results: string[] = [];
      for (let i = 0; i < 5; i++)
        results.push(await probe(edge.port("edge"), "app.example.test", ca.cert, "127.0.0.4"));
      assert.deepEqual(results.slice(0, 3), ["ok", "ok", "ok"]);
      assert.deepEqual(results.slice(3), ["ECONNRESET", "ECONNRESET"]);
    });

    it("rate-limits L7 requests per IP with 429", async () => {
      const r = await h2requests(edge.port("edge"), "app.example.test", ca.cert, "127.0.0.5", 5);
      assert.deepEqual(r.statuses, [200, 200, 200, 429, 429]);
      assert.equal(JSON.parse(r.bodies[3] ?? "").error.code, "rate_limited");
    });

    it("firewall rules change at runtime through the admin API", async () => {
      const c = adminClient(origin.socket);
      await c.addFirewallRule({ kind: FirewallRuleKind.DENY, value: "127.0.0.9" });
      assert.equal(
        await probe(origin.port("origin"), "app.example.test", ca.cert, "127.0.0.9"),
        "ECONNRESET",
      );
      await c.removeFirewallRule({ kind: FirewallRuleKind.DENY, value: "127.0.0.9" });
      assert.equal(
        await probe(origin.port("origin"), "app.example.test", ca.cert, "127.0.0.9"),
        "ok",
      );
    });
  });
}
