// Routes on the node's MC-Proxy over its admin socket (gRPC, h2c on a Unix socket; the socket's
// file mode is the authorization). A route's `port` names the listener by the port it serves.
import { connect } from "node:net";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AppError } from "@metacircular/mcdsl/errors";
import { ProxyAdminService, RouteMode } from "@metacircular/proto/mcproxy/v1/admin_pb";
import type { RouteRow } from "../db/registry.ts";

export interface ProxyRoute {
  listener: string;
  hostname: string;
  backend: string;
  mode: "l4" | "l7";
  tlsCert?: string;
  tlsKey?: string;
}

const portOf = (addr: string): number => Number(addr.slice(addr.lastIndexOf(":") + 1));

export class ProxyRoutes {
  private readonly client: Client<typeof ProxyAdminService>;

  constructor(socketPath: string) {
    const transport = createGrpcTransport({
      baseUrl: "http://localhost",
      nodeOptions: { createConnection: () => connect(socketPath) },
    });
    this.client = createClient(ProxyAdminService, transport);
  }

  /** The listener serving `port` (by its bound address, else its configured one). */
  async listenerFor(port: number): Promise<string> {
    const { listeners } = await this.client.listListeners({});
    const l = listeners.find((x) => portOf(x.boundAddr || x.addr) === port);
    if (!l) {
      throw new AppError(409, "no_listener", `MC-Proxy has no listener on port ${port}`);
    }
    return l.name;
  }

  /** Hostnames routed on `listener` now, with their backends. */
  async routesOn(listener: string): Promise<Map<string, string>> {
    const { routes } = await this.client.listRoutes({ listener });
    return new Map(routes.map((r) => [r.hostname, r.backend]));
  }

  async add(r: ProxyRoute): Promise<void> {
    await this.client.addRoute({
      route: {
        listener: r.listener,
        hostname: r.hostname,
        backend: r.backend,
        mode: r.mode === "l4" ? RouteMode.L4 : RouteMode.L7,
        tlsCert: r.tlsCert ?? "",
        tlsKey: r.tlsKey ?? "",
      },
    });
  }

  /** Removes a route; one that is already gone is fine. */
  async remove(listener: string, hostname: string): Promise<void> {
    const on = await this.routesOn(listener);
    if (on.has(hostname)) await this.client.removeRoute({ listener, hostname });
  }

  /** Removes the registry's routes of a service from the proxy. */
  async removeAll(rows: RouteRow[]): Promise<void> {
    for (const r of rows) await this.remove(await this.listenerFor(r.listenerPort), r.hostname);
  }
}
