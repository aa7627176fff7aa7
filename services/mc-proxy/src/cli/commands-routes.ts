// mcproxyctl routes / listeners commands.
import {
  AddRouteResponseSchema,
  ListListenersResponseSchema,
  ListRoutesResponseSchema,
} from "@metacircular/proto/mcproxy/v1/admin_pb";
import { type Command, Option } from "commander";
import { client, out, say } from "./context.ts";
import { listenersTable, routesTable } from "./format.ts";
import { type RouteFlags, routeRequest } from "./route-request.ts";

function addRouteCommand(routes: Command): void {
  routes
    .command("add <listener> <hostname> <backend>")
    .description("add or replace the route for hostname (idempotent)")
    .addOption(
      new Option("--mode <mode>", "l4 passthrough or l7 termination")
        .choices(["l4", "l7"])
        .default("l4"),
    )
    .option("--cert <file>", "L7: certificate PEM (relative to the current directory)")
    .option("--key <file>", "L7: private key PEM (relative to the current directory)")
    .addOption(
      new Option("--min-tls <version>", "L7: lowest TLS version")
        .choices(["1.2", "1.3"])
        .default("1.3"),
    )
    .option("--backend-tls", "L7: re-encrypt to the backend", false)
    .option("--backend-ca <file>", "L7: CA that signs the backend certificate")
    .option("--backend-h2", "L7: HTTP/2 to the backend", false)
    .addOption(
      new Option("--send-proxy <version>", "PROXY header to the backend")
        .choices(["0", "1", "2"])
        .default("0"),
    )
    .option("--timeout-ms <ms>", "request (L7) / idle (L4) timeout", "60000")
    .option("--health-path <path>", "L7: health check path")
    .action(async function (
      this: Command,
      listener: string,
      hostname: string,
      backend: string,
      o: RouteFlags,
    ) {
      const route = routeRequest({ listener, hostname, backend }, o);
      const r = await client(this).addRoute({ route });
      out(
        this,
        AddRouteResponseSchema,
        r,
        () => `${r.replaced ? "replaced" : "added"} ${hostname} → ${backend} on ${listener}`,
      );
    });
}

export function registerRouteCommands(program: Command): void {
  const routes = program
    .command("routes")
    .alias("route")
    .description("list, add and remove routes");
  routes
    .command("list")
    .description("list routes")
    .option("--listener <name>", "only this listener", "")
    .action(async function (this: Command, o: { listener: string }) {
      const r = await client(this).listRoutes({ listener: o.listener });
      out(this, ListRoutesResponseSchema, r, () => routesTable(r.routes));
    });
  addRouteCommand(routes);
  routes
    .command("remove <listener> <hostname>")
    .description("remove the route for hostname")
    .action(async function (this: Command, listener: string, hostname: string) {
      await client(this).removeRoute({ listener, hostname });
      say(this, {}, `removed ${hostname} from ${listener}`);
    });

  const listeners = program
    .command("listeners")
    .alias("listener")
    .description("list, add and remove listeners");
  listeners
    .command("list")
    .description("list listeners")
    .action(async function (this: Command) {
      const r = await client(this).listListeners({});
      out(this, ListListenersResponseSchema, r, () => listenersTable(r.listeners));
    });
  listeners
    .command("add <name> <addr>")
    .description("listen on addr (host:port; port 0 picks a free one)")
    .option("--proxy-protocol", "expect PROXY headers from trusted sources", false)
    .option("--trusted <cidrs>", "comma-separated trusted proxy addresses/CIDRs", "")
    .action(async function (
      this: Command,
      name: string,
      addr: string,
      o: { proxyProtocol: boolean; trusted: string },
    ) {
      const trusted = o.trusted ? o.trusted.split(",").map((s) => s.trim()) : [];
      const r = await client(this).addListener({
        listener: { name, addr, proxyProtocol: o.proxyProtocol, trustedProxies: trusted },
      });
      const bound = r.listener?.boundAddr;
      say(this, { name, boundAddr: bound }, `listener ${name} on ${bound}`);
    });
  listeners
    .command("remove <name>")
    .description("stop a listener and drop its routes")
    .action(async function (this: Command, name: string) {
      await client(this).removeListener({ name });
      say(this, {}, `removed listener ${name}`);
    });
}
