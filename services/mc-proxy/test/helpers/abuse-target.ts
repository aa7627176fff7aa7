// A child process for the memory-after-abuse test: an engine (native I/O) with one L7 route
// (lean HTTP/2 front) and its HTTP/1.1 backend. Run with --expose-gc; on "measure" it collects
// garbage and answers its resident set and heap figures, on "trims" the engine's memory trims.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestCA } from "@metacircular/testkit";
import { echoHandler } from "./backends.ts";
import { startEngine } from "./engine.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

const ca = createTestCA();
const leaf = ca.issue(["abuse.test"]);
const backend = createServer(echoHandler("b"));
await new Promise<void>((r) => backend.listen(0, "127.0.0.1", () => r()));
const addr = `127.0.0.1:${(backend.address() as AddressInfo).port}`;
const e = await startEngine(
  [{ name: "web" }],
  [
    {
      listener: "web",
      hostname: "abuse.test",
      backend: addr,
      mode: "l7",
      tlsCert: leaf.certPath,
      tlsKey: leaf.keyPath,
    },
  ],
  { io: "native" },
);

process.on("message", async (m) => {
  if (m === "stop") {
    await e.engine.close(1000);
    ca.remove();
    process.exit(0);
  }
  if (m === "trims") {
    process.send?.({ trims: e.engine.memory.trims });
    return;
  }
  if (m !== "measure") return;
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  const mu = process.memoryUsage();
  process.send?.({
    rss: mu.rss,
    heapUsed: mu.heapUsed,
    heapTotal: mu.heapTotal,
    external: mu.external,
    arrayBuffers: mu.arrayBuffers,
  });
});
process.send?.({ port: e.port("web"), ca: ca.cert });
