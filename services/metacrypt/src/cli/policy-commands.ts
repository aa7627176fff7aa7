// metacryptctl policy ... and audit ...: rules, explain, and the hash-chained audit log.

import { readFileSync } from "node:fs";
import { formatTable, printResult } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { call } from "./api.ts";

const collect = (v: string, acc: string[]) => [...acc, v];

export function addPolicyCommands(program: Command): void {
  const policy = program.command("policy").description("policy rules (admin)");
  policy.command("list").action(async (_o, cmd: Command) => {
    const r = await call(cmd, "GET", "/v1/policy/rules");
    printResult(cmd, r.rules, (rs) =>
      formatTable(
        rs.map((x: Record<string, unknown>) => ({
          ...x,
          operations: (x.operations as string[]).join(","),
          names: ((x.names as string[]) ?? []).join(","),
        })),
        ["id", "priority", "effect", "subject", "mount", "operations", "names"],
      ),
    );
  });
  policy
    .command("set <file>")
    .description("create or replace a rule from a JSON file")
    .action(async (file: string, _o, cmd: Command) => {
      const rule = JSON.parse(readFileSync(file, "utf8")) as { id: string };
      const r = await call(cmd, "PUT", `/v1/policy/rules/${encodeURIComponent(rule.id)}`, rule);
      printResult(cmd, r, (x) => `rule ${x.id} saved`);
    });
  policy.command("delete <id>").action(async (id: string, _o, cmd: Command) => {
    await call(cmd, "DELETE", `/v1/policy/rules/${encodeURIComponent(id)}`);
    printResult(cmd, { deleted: id }, () => `rule ${id} deleted`);
  });
  policy
    .command("explain")
    .description("which rule decides a request")
    .requiredOption("--user <name>", "account name")
    .option("--system", "the account is a system account")
    .option("--role <role>", "role (repeatable)", collect, [])
    .requiredOption("--mount <name>")
    .requiredOption("--operation <op>")
    .option("--name <name>", "requested name (repeatable)", collect, [])
    .action(
      async (
        o: {
          user: string;
          system?: boolean;
          role: string[];
          mount: string;
          operation: string;
          name: string[];
        },
        cmd: Command,
      ) => {
        const r = await call(cmd, "POST", "/v1/policy/explain", {
          subject: { username: o.user, account_type: o.system ? "system" : "human", roles: o.role },
          mount: o.mount,
          operation: o.operation,
          names: o.name,
        });
        printResult(cmd, r, (x) => `${x.allowed ? "allow" : "deny"}: ${x.reason}`);
      },
    );

  const audit = program.command("audit").description("the hash-chained audit log (admin)");
  audit
    .command("list")
    .option("--actor <name>")
    .option("--mount <name>")
    .option("--limit <n>", "newest first", "100")
    .action(async (o: { actor?: string; mount?: string; limit: string }, cmd: Command) => {
      const q = new URLSearchParams({
        limit: o.limit,
        ...(o.actor ? { actor: o.actor } : {}),
        ...(o.mount ? { mount: o.mount } : {}),
      });
      const r = await call(cmd, "GET", `/v1/audit?${q}`);
      printResult(cmd, r.entries, (es) =>
        formatTable(es, ["seq", "ts", "actor", "action", "mount", "target", "decision", "rule"]),
      );
    });
  audit.command("verify").action(async (_o, cmd: Command) => {
    const r = await call(cmd, "GET", "/v1/audit/verify");
    printResult(cmd, r, (x) => (x.ok ? `chain intact (${x.rows} rows)` : `BROKEN: ${x.problem}`));
  });
}
