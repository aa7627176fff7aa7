// mcproxyctl firewall actions (loaded when one of them runs).
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

export type RuleVerb = "allow" | "deny" | "country";

const KINDS: Record<RuleVerb, FirewallRuleKind> = {
  allow: FirewallRuleKind.ALLOW,
  deny: FirewallRuleKind.DENY,
  country: FirewallRuleKind.COUNTRY,
};

function limit(rate?: string, burst?: string) {
  return Number(rate) > 0 ? { rate: Number(rate), burst: Math.max(1, Number(burst)) } : undefined;
}

export async function show(this: Command): Promise<void> {
  const r = await client(this).getFirewall({});
  out(this, GetFirewallResponseSchema, r, () => firewallText(r.firewall));
}

/** `firewall <verb> <value>`: the verb is the command's name. */
export async function addRule(this: Command, value: string): Promise<void> {
  const kind = KINDS[this.name() as RuleVerb];
  const r = await client(this).addFirewallRule({ kind, value });
  out(this, AddFirewallRuleResponseSchema, r, () => firewallText(r.firewall));
}

/** `firewall un<verb> <value>`. */
export async function removeRule(this: Command, value: string): Promise<void> {
  const kind = KINDS[this.name().slice(2) as RuleVerb];
  const r = await client(this).removeFirewallRule({ kind, value });
  out(this, RemoveFirewallRuleResponseSchema, r, () => firewallText(r.firewall));
}

export async function setLimits(this: Command, o: Record<string, string | undefined>) {
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
}
