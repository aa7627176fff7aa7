// A route moved to another backend (a zero-downtime redeploy swaps it this way) while a client
// holds a keep-alive connection: the client's next request on the same connection reaches the
// new backend, also once the old backend is gone (no 502 from a connection routed before the
// swap). Both I/O modes.
import assert from "node:assert/strict";
import { Agent, request } from "node:https";
import { after, describe, it } from "node:test";
import { createTestCA, type TestCA } from "@metacircular/testkit";
import { EMPTY_RULES } from "../src/firewall/firewall.ts";
import { ROUTE_DEFAULTS } from "../src/state/types.ts";
import { type Backend, httpBackend } from "./helpers/backends.ts";
import { startEngine, type TestEngine } from "./helpers/engine.ts";

function get(port: number, agent: Agent, ca: string): Promise<{ backend: string; socket: number }> {
  return new Promise((resolve, reject) => {
    const r = request(
      { host: "127.0.0.1", port, servername: "swap.example.test", agent, ca, path: "/" },
      (res) => {
        const socket = res.socket.localPort ?? 0;
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => {
          if (res.statusCode !== 200) reject(new Error(`${res.statusCode}: ${body}`));
          else resolve({ backend: JSON.parse(body).backend, socket });
        });
      },
    );
    r.on("error", reject);
    r.end();
  });
}

for (const io of ["node", "native"] as const) {
  describe(`a route's backend swapped under a keep-alive client (io=${io})`, () => {
    let ca: TestCA;
    let e: TestEngine;
    const backends: Backend[] = [];
    after(async () => {
      await e?.engine.close(1_000);
      for (const b of backends) await b.close().catch(() => undefined);
      ca?.remove();
    });

    it("the next request on the open connection goes to the new backend", async () => {
      ca = createTestCA("Swap Test CA");
      const leaf = ca.issue(["swap.example.test"]);
      const [a, b] = [await httpBackend("old"), await httpBackend("new")];
      backends.push(a, b);
      const route = {
        listener: "web",
        hostname: "swap.example.test",
        mode: "l7" as const,
        tlsCert: leaf.certPath,
        tlsKey: leaf.keyPath,
      };
      e = await startEngine([{ name: "web" }], [{ ...route, backend: a.addr }], { io });
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const port = e.port("web");
      const first = await get(port, agent, ca.cert);
      assert.equal(first.backend, "old");
      await e.engine.apply({
        listeners: [{ name: "web", addr: "127.0.0.1:0", proxyProtocol: false, trustedProxies: [] }],
        routes: [{ ...ROUTE_DEFAULTS, ...route, backend: b.addr }],
        firewall: EMPTY_RULES,
      });
      const second = await get(port, agent, ca.cert);
      assert.equal(second.socket, first.socket, "the same client connection");
      assert.equal(second.backend, "new");
      await a.close();
      const third = await get(port, agent, ca.cert);
      assert.equal(third.socket, first.socket);
      assert.equal(third.backend, "new");
      agent.destroy();
    });
  });
}
