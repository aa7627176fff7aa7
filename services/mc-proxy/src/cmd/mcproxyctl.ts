#!/usr/bin/env -S node --import tsx
// mcproxyctl: administer a running mc-proxy over its Unix socket.
import { readFileSync, writeFileSync } from "node:fs";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { toJson } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import {
  AddFirewallRuleResponseSchema,
  AddRouteResponseSchema,
  FirewallRuleKind,
  GetFirewallResponseSchema,
  GetStatusResponseSchema,
  ListListenersResponseSchema,
  ListRoutesResponseSchema,
  RemoveFirewallRuleResponseSchema,
  RouteMode,
  SetFirewallResponseSchema,
} from "@metacircular/proto/mcproxy/v1/admin_pb";
import { Command, Option } from "commander";
import { type AdminClient, adminClient } from "../cli/admin-client.ts";
import { firewallText, listenersTable, routesTable } from "../cli/format.ts";

const program = new Command("mcproxyctl")
  .description("Administer mc-proxy over its admin socket")
  .option(
    "--socket <path>",
    "admin socket",
    process.env.MCPROXY_SOCKET ?? "/srv/mc-proxy/mc-proxy.sock",
  )
  .option("--json", "print JSON instead of tables", false)
  .version("0.1.0", "--version");

const g = () => program.opts<{ socket: string; json: boolean }>();
const client = (): AdminClient => adminClient(g().socket);
function out<D extends DescMessage>(schema: D, msg: MessageShape<D>, human: () => string): void {
  process.stdout.write(`${g().json ? JSON.stringify(toJson(schema, msg), null, 2) : human()}\n`);
}

program
  .command("status")
  .description("version, listeners, routes, connections")
  .action(async () => {
    const s = await client().getStatus({});
    out(GetStatusResponseSchema, s, () =>
      [
        `mc-proxy ${s.version}  workers=${s.workers}  routes=${s.routeCount}  connections=${s.activeConnections}`,
        "",
        listenersTable(s.listeners),
      ].join("\n"),
    );
  });

const routes = program.command("routes").description("list, add and remove routes");
routes
  .command("list")
  .option("--listener <name>", "only this listener", "")
  .action(async (o: { listener: string }) => {
    const r = await client().listRoutes({ listener: o.listener });
    out(ListRoutesResponseSchema, r, () => routesTable(r.routes));
  });
routes
  .command("add <listener> <hostname> <backend>")
  .description("add or replace the route for hostname (idempotent)")
  .addOption(
    new Option("--mode <mode>", "l4 passthrough or l7 termination")
      .choices(["l4", "l7"])
      .default("l4"),
  )
  .option("--cert <file>", "L7: certificate PEM")
  .option("--key <file>", "L7: private key PEM")
  .addOption(new Option("--min-tls <version>").choices(["1.2", "1.3"]).default("1.3"))
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
  .action(
    async (
      listener: string,
      hostname: string,
      backend: string,
      o: Record<string, string | boolean | undefined>,
    ) => {
      const r = await client().addRoute({
        route: {
          listener,
          hostname,
          backend,
          mode: o.mode === "l7" ? RouteMode.L7 : RouteMode.L4,
          tlsCert: (o.cert as string) ?? "",
          tlsKey: (o.key as string) ?? "",
          minTls: o.minTls as string,
          backendTls: o.backendTls === true,
          backendCa: (o.backendCa as string) ?? "",
          backendH2: o.backendH2 === true,
          sendProxy: Number(o.sendProxy),
          timeoutMs: Number(o.timeoutMs),
          healthPath: (o.healthPath as string) ?? "",
        },
      });
      out(
        AddRouteResponseSchema,
        r,
        () => `${r.replaced ? "replaced" : "added"} ${hostname} → ${backend} on ${listener}`,
      );
    },
  );
routes
  .command("remove <listener> <hostname>")
  .action(async (listener: string, hostname: string) => {
    await client().removeRoute({ listener, hostname });
    if (!g().json) process.stdout.write(`removed ${hostname} from ${listener}\n`);
    else process.stdout.write("{}\n");
  });

const listeners = program.command("listeners").description("list, add and remove listeners");
listeners.command("list").action(async () => {
  const r = await client().listListeners({});
  out(ListListenersResponseSchema, r, () => listenersTable(r.listeners));
});
listeners
  .command("add <name> <addr>")
  .option("--proxy-protocol", "expect PROXY headers from trusted sources", false)
  .option("--trusted <cidrs>", "comma-separated trusted proxy addresses/CIDRs", "")
  .action(async (name: string, addr: string, o: { proxyProtocol: boolean; trusted: string }) => {
    const trusted = o.trusted ? o.trusted.split(",").map((s) => s.trim()) : [];
    const r = await client().addListener({
      listener: { name, addr, proxyProtocol: o.proxyProtocol, trustedProxies: trusted },
    });
    process.stdout.write(
      g().json
        ? `${JSON.stringify({ name, boundAddr: r.listener?.boundAddr })}\n`
        : `listener ${name} on ${r.listener?.boundAddr}\n`,
    );
  });
listeners.command("remove <name>").action(async (name: string) => {
  await client().removeListener({ name });
  process.stdout.write(g().json ? "{}\n" : `removed listener ${name}\n`);
});

const fw = program.command("firewall").description("show and change firewall rules");
fw.command("show").action(async () => {
  const r = await client().getFirewall({});
  out(GetFirewallResponseSchema, r, () => firewallText(r.firewall));
});
const KINDS = {
  allow: FirewallRuleKind.ALLOW,
  deny: FirewallRuleKind.DENY,
  country: FirewallRuleKind.COUNTRY,
} as const;
for (const [verb, kind] of Object.entries(KINDS)) {
  fw.command(`${verb} <value>`)
    .description(
      `add a ${verb} rule (${verb === "country" ? "ISO country code to block" : "address or CIDR"})`,
    )
    .action(async (value: string) => {
      const r = await client().addFirewallRule({ kind, value });
      out(AddFirewallRuleResponseSchema, r, () => firewallText(r.firewall));
    });
  fw.command(`un${verb} <value>`).action(async (value: string) => {
    const r = await client().removeFirewallRule({ kind, value });
    out(RemoveFirewallRuleResponseSchema, r, () => firewallText(r.firewall));
  });
}
fw.command("limits")
  .description("set per-IP rate limits (0 disables)")
  .option("--conn-rate <n>", "new connections per second", "0")
  .option("--conn-burst <n>", "connection burst", "0")
  .option("--request-rate <n>", "L7 requests per second", "0")
  .option("--request-burst <n>", "request burst", "0")
  .option("--geoip-db <file>", "MaxMind country database")
  .action(async (o: Record<string, string | undefined>) => {
    const cur = (await client().getFirewall({})).firewall;
    const lim = (rate?: string, burst?: string) =>
      Number(rate) > 0 ? { rate: Number(rate), burst: Math.max(1, Number(burst)) } : undefined;
    const r = await client().setFirewall({
      firewall: {
        allow: cur?.allow ?? [],
        deny: cur?.deny ?? [],
        blockedCountries: cur?.blockedCountries ?? [],
        geoipDb: o.geoipDb ?? cur?.geoipDb ?? "",
        connRate: lim(o.connRate, o.connBurst),
        requestRate: lim(o.requestRate, o.requestBurst),
      },
    });
    out(SetFirewallResponseSchema, r, () => firewallText(r.firewall));
  });

program
  .command("export")
  .description("print the live listeners, routes and firewall as TOML")
  .option("--out <file>", "write to a file")
  .action(async (o: { out?: string }) => {
    const r = await client().exportConfig({});
    if (o.out) writeFileSync(o.out, r.toml);
    else process.stdout.write(r.toml);
  });
program
  .command("seed <file>")
  .description("replace listeners, routes and firewall with those in a TOML file")
  .action(async (file: string) => {
    const r = await client().seedConfig({ toml: readFileSync(file, "utf8") });
    process.stdout.write(
      g().json
        ? `${JSON.stringify({ listeners: r.listeners, routes: r.routes })}\n`
        : `seeded ${r.listeners} listeners, ${r.routes} routes\n`,
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const msg =
    e instanceof ConnectError
      ? `${e.code === undefined ? "" : `[${e.code}] `}${e.rawMessage}`
      : (e as Error).message;
  process.stderr.write(`mcproxyctl: ${msg}\n`);
  process.exit(1);
}
