// A minimal server binary for shutdown.test.ts: serves HTTP, prints its port, stops on signals.
import { createApp } from "../../http/app.ts";
import { serveHttp } from "../../http/serve.ts";
import { createLogger } from "../../log/logger.ts";
import { stopOnSignals } from "../shutdown.ts";

const logger = createLogger({ service: "demo" });
const app = createApp({ service: "demo", version: "0", logger });
app.get("/v1/slow", async (c) => {
  process.stderr.write("SLOW_STARTED\n");
  await new Promise((r) => setTimeout(r, Number(process.env.SLOW_MS ?? 0)));
  return c.text("done");
});
const srv = await serveHttp(app, { listen: "127.0.0.1:0", logger, shutdownTimeoutMs: 5000 });
stopOnSignals({ logger, close: () => srv.close() });
process.stderr.write(`PORT=${srv.port}\n`);
