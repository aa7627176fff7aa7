// A client that trickles a partial ClientHello is disconnected after hello_timeout_ms; garbage
// that is not TLS is dropped at once; both are counted in the connection metrics.
import { connect } from "node:net";
import { describe, it } from "node:test";
import { makeTempDir } from "@metacircular/testkit";
import { captureClientHello } from "../src/protocol/capture-hello.ts";
import { IO_MODES, startProxy, withIo } from "./helpers/proxy-process.ts";
import { eventually } from "./helpers/raw-client.ts";

function closedAfterWriting(port: number, bytes: Buffer): Promise<void> {
  return new Promise((res) => {
    const s = connect({ host: "127.0.0.1", port }, () => s.write(bytes));
    s.on("error", () => {});
    s.on("close", () => res());
  });
}

for (const io of IO_MODES) {
  describe(`ClientHello timeouts (io=${io})`, () => {
    it("drops slow and non-TLS clients", async (t) => {
      const dir = makeTempDir("mcp-slow-");
      t.after(() => dir.remove());
      const proxy = await startProxy(
        dir.path,
        withIo(io, {
          server: {
            workers: 0,
            shutdown_timeout_ms: 1000,
            hello_timeout_ms: 300,
            access_log: false,
          },
          listeners: [
            {
              name: "web",
              addr: "127.0.0.1:0",
              routes: [{ hostname: "a.example.test", backend: "127.0.0.1:9", mode: "l4" }],
            },
          ],
        }),
      );
      try {
        const port = proxy.port("web");
        const hello = await captureClientHello("a.example.test");
        await closedAfterWriting(port, hello.subarray(0, 40));
        await closedAfterWriting(
          port,
          Buffer.from("GET / HTTP/1.1\r\nHost: a.example.test\r\n\r\n"),
        );
        // The outcome is booked as the proxy closes, which the client may see first.
        const metrics = () => fetch(`http://${proxy.metrics}/metrics`).then((r) => r.text());
        await eventually(
          metrics,
          /mcproxy_connections_total\{listener="web",outcome="hello_timeout"\} 1/,
        );
        await eventually(
          metrics,
          /mcproxy_connections_total\{listener="web",outcome="hello_not_tls"\} 1/,
        );
      } finally {
        await proxy.stop();
      }
    });
  });
}
