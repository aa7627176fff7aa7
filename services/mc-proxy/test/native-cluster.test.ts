// Cluster workers on the native ingress: the primary pins a port-0 listener to one concrete
// port, every worker binds its own SO_REUSEPORT sockets there, and L4 connections work through it.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { makeTempDir } from "@metacircular/testkit";
import { captureClientHello } from "../src/protocol/capture-hello.ts";
import { tcpBackend } from "./helpers/engine.ts";
import { startProxy } from "./helpers/proxy-process.ts";

describe("native ingress in cluster mode", () => {
  const dir = makeTempDir("mcp-ncluster-");
  after(() => dir.remove());

  it("pins port 0 for all workers and relays through them", async () => {
    const backend = await tcpBackend((s) => {
      s.once("data", () => s.end("pong"));
      s.on("error", () => {});
    });
    const proxy = await startProxy(dir.path, {
      server: { workers: 2, shutdown_timeout_ms: 2000, access_log: false, io: "native" },
      listeners: [
        {
          name: "web",
          addr: "127.0.0.1:0",
          routes: [{ hostname: "c.example.test", backend: backend.addr, mode: "l4" }],
        },
      ],
    });
    try {
      const out = proxy.child.output();
      assert.equal(out.match(/"msg":"connection I\/O: native"/g)?.length, 2);
      const ports = [
        ...out.matchAll(/"listener":"web","addr":"127\.0\.0\.1:(\d+)","msg":"listening"/g),
      ];
      assert.equal(ports.length, 2);
      assert.equal(ports[0]?.[1], ports[1]?.[1]);
      assert.equal(Number(ports[0]?.[1]), proxy.port("web"));
      const hello = await captureClientHello("c.example.test");
      const { connect } = await import("node:net");
      for (let i = 0; i < 6; i++) {
        const got = await new Promise<string>((res, rej) => {
          const s = connect({ host: "127.0.0.1", port: proxy.port("web") }, () => s.write(hello));
          let b = "";
          s.on("data", (d: Buffer) => (b += d.toString()));
          s.on("error", rej);
          s.on("close", () => res(b));
        });
        assert.equal(got, "pong");
      }
    } finally {
      assert.equal(await proxy.stop(), 0);
      backend.server.close();
    }
  });
});
