// Cluster worker entry: runs one engine and follows the primary's state and shutdown messages.
import { availableParallelism } from "node:os";
import { createLogger } from "@metacircular/mcdsl/log";
import { AggregatorRegistry, collectRuntimeMetrics, register } from "@metacircular/mcdsl/metrics";
import { loadProxyConfig } from "../config.ts";
import { Engine } from "../engine.ts";
import { createMetrics } from "../metrics/metrics.ts";
import type { FromWorker, ToWorker } from "./messages.ts";

const i = process.argv.indexOf("--config");
const cfg = loadProxyConfig(process.argv[i + 1] ?? "");
const logger = createLogger({ service: "mc-proxy", level: cfg.log.level }).child({
  worker: process.pid,
});
const engine = new Engine({
  logger,
  metrics: createMetrics(register),
  accessLog: cfg.server.access_log,
  helloTimeoutMs: cfg.server.hello_timeout_ms,
  handshakeTimeoutMs: cfg.server.handshake_timeout_ms,
  healthIntervalMs: cfg.server.health_interval_ms,
  io: cfg.server.io,
  // io_threads = 0: the cores are shared by the workers, one I/O thread per core in total.
  ioThreads:
    cfg.server.io_threads ||
    Math.max(1, Math.floor(availableParallelism() / Math.max(1, cfg.server.workers))),
  h2Front: cfg.server.h2_front,
  h1Front: cfg.server.h1_front,
  exclusive: false,
});
// process_* and nodejs_* per worker; the primary's /metrics sums or averages them.
collectRuntimeMetrics(register);
// Constructing an AggregatorRegistry installs the worker side of the metrics IPC.
new AggregatorRegistry();
const reply = (m: FromWorker) => process.send?.(m);
let queue = Promise.resolve();
let seeded = false;

process.on("message", (m: ToWorker) => {
  if (m.type === "mcp:state") {
    queue = queue.then(async () => {
      try {
        if (!seeded) engine.shareTicketKeys(m.tickets);
        seeded = true;
        await engine.apply(m.state);
        reply({ type: "mcp:applied", seq: m.seq });
      } catch (e) {
        reply({ type: "mcp:applied", seq: m.seq, error: (e as Error).message });
      }
    });
  } else if (m.type === "mcp:status") {
    reply({
      type: "mcp:status",
      seq: m.seq,
      connections: engine.connectionCount,
      addresses: engine.addresses(),
    });
  } else if (m.type === "mcp:shutdown") {
    void engine.close(m.timeoutMs).then(({ forced }) => {
      if (forced > 0)
        logger.warn({ forced }, "shutdown timeout reached, forced connections closed");
      process.exit(0);
    });
  }
});
reply({ type: "mcp:ready", seq: 0 });
process.on("SIGTERM", () => {});
process.on("SIGINT", () => {});
