// mcproxyctl routes / listeners commands (declarations; the actions load when a command runs).
import { type Command, Option } from "commander";
import { lazyAction } from "./lazy-action.ts";

const actions = () => import("./actions-routes.ts");

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
    .action(lazyAction(actions, "addRoute"));
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
    .action(lazyAction(actions, "listRoutes"));
  addRouteCommand(routes);
  routes
    .command("remove <listener> <hostname>")
    .description("remove the route for hostname")
    .action(lazyAction(actions, "removeRoute"));

  const listeners = program
    .command("listeners")
    .alias("listener")
    .description("list, add and remove listeners");
  listeners
    .command("list")
    .description("list listeners")
    .action(lazyAction(actions, "listListeners"));
  listeners
    .command("add <name> <addr>")
    .description("listen on addr (host:port; port 0 picks a free one)")
    .option("--proxy-protocol", "expect PROXY headers from trusted sources", false)
    .option("--trusted <cidrs>", "comma-separated trusted proxy addresses/CIDRs", "")
    .action(lazyAction(actions, "addListener"));
  listeners
    .command("remove <name>")
    .description("stop a listener and drop its routes")
    .action(lazyAction(actions, "removeListener"));
}
