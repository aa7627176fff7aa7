// L4 splice edge cases through the real proxy: a backend that answers and closes first (the
// client still gets every byte, then EOF), and a 4 MiB download checked end to end (the
// backend → client direction reads into a reused buffer, so corruption would show here).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { createServer, connect as tlsConnect } from "node:tls";
import { createTestCA, makeTempDir, type TestCA } from "@metacircular/testkit";
import { IO_MODES, type ProxyProcess, startProxy, withIo } from "./helpers/proxy-process.ts";

for (const io of IO_MODES) {
  describe(`L4 splice (io=${io})`, () => {
    const dir = makeTempDir("mcp-l4-");
    let ca: TestCA;
    let proxy: ProxyProcess;
    const big = randomBytes(4 << 20);
    const closers: (() => void)[] = [];

    async function tlsBackend(host: string, onSecure: (s: import("node:tls").TLSSocket) => void) {
      const leaf = ca.issue([host]);
      const srv = createServer(
        { cert: readFileSync(leaf.certPath), key: readFileSync(leaf.keyPath) },
        onSecure,
      );
      await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
      closers.push(() => srv.close());
      return `127.0.0.1:${(srv.address() as { port: number }).port}`;
    }

    before(async () => {
      ca = createTestCA();
      const bye = await tlsBackend("bye.example.test", (s) => s.end("goodbye\n"));
      const bulk = await tlsBackend("bulk.example.test", (s) => s.end(big));
      proxy = await startProxy(
        dir.path,
        withIo(io, {
          listeners: [
            {
              name: "web",
              addr: "127.0.0.1:0",
              routes: [
                { hostname: "bye.example.test", backend: bye, mode: "l4" },
                { hostname: "bulk.example.test", backend: bulk, mode: "l4" },
              ],
            },
          ],
        }),
      );
    });

    after(async () => {
      await proxy?.stop();
      for (const c of closers) c();
      ca?.remove();
      dir.remove();
    });

    function fetchAll(host: string): Promise<Buffer> {
      return new Promise((res, rej) => {
        const s = tlsConnect({
          host: "127.0.0.1",
          port: proxy.port("web"),
          servername: host,
          ca: ca.cert,
        });
        const parts: Buffer[] = [];
        s.on("data", (d: Buffer) => parts.push(d));
        s.on("error", rej);
        s.on("end", () => res(Buffer.concat(parts)));
      });
    }

    it("delivers a backend's last bytes and its EOF", async () => {
      assert.equal((await fetchAll("bye.example.test")).toString(), "goodbye\n");
    });

    it("splices a 4 MiB download intact", async () => {
      const got = await fetchAll("bulk.example.test");
      assert.equal(got.length, big.length);
      const digest = (b: Buffer) => createHash("sha256").update(b).digest("hex");
      assert.equal(digest(got), digest(big));
    });
  });
}
