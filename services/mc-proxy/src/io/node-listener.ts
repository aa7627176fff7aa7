// The portable listener: a node:net server whose connections go through acceptConnection.
import { createServer, type Socket } from "node:net";
import { formatListenAddr } from "@metacircular/mcdsl/config";
import type { Logger } from "pino";

export interface ListenerHandle {
  /** bound address, "127.0.0.1:43211" or "[::1]:43211" */
  address: string;
  close(): void;
}

export async function startNodeListener(
  name: string,
  host: string,
  port: number,
  exclusive: boolean,
  onConnection: (sock: Socket) => void,
  logger: Logger,
): Promise<ListenerHandle> {
  const server = createServer(onConnection);
  server.on("error", (e) => logger.error({ listener: name, err: e.message }, "listener error"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: host || undefined, port, exclusive, backlog: 4096 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const a = server.address();
  const address =
    a !== null && typeof a === "object" ? formatListenAddr({ host: a.address, port: a.port }) : "";
  return { address, close: () => server.close() };
}
