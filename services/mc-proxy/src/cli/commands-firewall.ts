// mcproxyctl firewall commands (declarations; the actions load when a command runs).
import type { Command } from "commander";
import type { RuleVerb } from "./actions-firewall.ts";
import { lazyAction } from "./lazy-action.ts";

const actions = () => import("./actions-firewall.ts");
const VERBS: RuleVerb[] = ["allow", "deny", "country"];

export function registerFirewallCommands(program: Command): void {
  const fw = program.command("firewall").description("show and change firewall rules");
  fw.command("show")
    .description("show the rules and rate limits")
    .action(lazyAction(actions, "show"));
  for (const verb of VERBS) {
    const what = verb === "country" ? "ISO country code to block" : "address or CIDR";
    fw.command(`${verb} <value>`)
      .description(`add a ${verb} rule (${what})`)
      .action(lazyAction(actions, "addRule"));
    fw.command(`un${verb} <value>`)
      .description(`remove a ${verb} rule`)
      .action(lazyAction(actions, "removeRule"));
  }
  fw.command("limits")
    .description("set per-IP rate limits (0 disables)")
    .option("--conn-rate <n>", "new connections per second", "0")
    .option("--conn-burst <n>", "connection burst", "0")
    .option("--request-rate <n>", "L7 requests per second", "0")
    .option("--request-burst <n>", "request burst", "0")
    .option("--geoip-db <file>", "MaxMind country database (relative to the current directory)")
    .action(lazyAction(actions, "setLimits"));
}
