// mcproxyctl firewall commands.
import {
  AddFirewallRuleResponseSchema,
  FirewallRuleKind,
  GetFirewallResponseSchema,
  RemoveFirewallRuleResponseSchema,
  SetFirewallResponseSchema,
} from "@metacircular/proto/mcproxy/v1/admin_pb";
import type { Command } from "commander";
import { client, out } from "./context.ts";
import { firewallText } from "./format.ts";
import { callerPath } from "./route-request.ts";

const KINDS = {
  allow: FirewallRuleKind.ALLOW,
  deny: FirewallRuleKind.DENY,
  country: FirewallRuleKind.COUNTRY,
} as const;

function limit(rate?: string, burst?: string) {
  return Number(rate) > 0 ? { rate: Number(rate), burst: Math.max(1, Number(burst)) } : undefined;
}

export function registerFirewallCommands(program: Command): void {
  const fw = program.command("firewall").description("show and change firewall rules");
  fw.command("show")
    .description("show the rules and rate limits")
    .action(async function (this: Command) {
      const r = await client(this).getFirewall({});
      out(this, GetFirewallResponseSchema, r, () => firewallText(r.firewall));
    });
  for (const [verb, kind] of Object.entries(KINDS)) {
    const what = verb === "country" ? "ISO country code to block" : "address or CIDR";
    fw.command(`${verb} <value>`)
      .description(`add a ${verb} rule (${what})`)
      .action(async function (this: Command, value: string) {
        const r = await client(this).addFirewallRule({ kind, value });
        out(this, AddFirewallRuleResponseSchema, r, () => firewallText(r.firewall));
      });
    fw.command(`un${verb} <value>`)
      .description(`remove a ${verb} rule`)
      .action(async function (this: Command, value: string) {
        const r = await client(this).removeFirewallRule({ kind, value });
        out(this, RemoveFirewallRuleResponseSchema, r, () => firewallText(r.firewall));
      });
  }
  fw.command("limits")
    .description("set per-IP rate limits (0 disables)")
    .option("--conn-rate <n>", "new connections per second", "0")
    .option("--conn-burst <n>", "connection burst", "0")
    .option("--request-rate <n>", "L7 requests per second", "0")
    .option("--request-burst <n>", "request burst", "0")
    .option("--geoip-db <file>", "MaxMind country database (relative to the current directory)")
    .action(async function (this: Command, o: Record<string, string | undefined>) {
      const admin = client(this);
      const cur = (await admin.getFirewall({})).firewall;
      const r = await admin.setFirewall({
        firewall: {
          allow: cur?.allow ?? [],
          deny: cur?.deny ?? [],
          blockedCountries: cur?.blockedCountries ?? [],
          geoipDb: o.geoipDb ? callerPath(o.geoipDb, process.cwd()) : (cur?.geoipDb ?? ""),
          connRate: limit(o.connRate, o.connBurst),
          requestRate: limit(o.requestRate, o.requestBurst),
        },
      });
      out(this, SetFirewallResponseSchema, r, () => firewallText(r.firewall));
    });
}
