// metacryptctl: every Metacrypt operation over the REST API; human output by default, --json for
// scripts. Seal commands and mounts here; the CA in ca-commands.ts, ACME EAB keys in
// acme-commands.ts, policy and audit in policy-commands.ts.

import { createCli, formatTable, printResult, readSecret } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { VERSION } from "../version.ts";
import { addAcmeCommands } from "./acme-commands.ts";
import { addConnectionOptions, call, engine } from "./api.ts";
import { addCaCommands } from "./ca-commands.ts";
import { addPolicyCommands } from "./policy-commands.ts";

export const program = createCli({
  name: "metacryptctl",
  description: "Operate Metacrypt: seal state, mounts, the CA, policy and audit",
  version: VERSION,
});
addConnectionOptions(program);

const statusLine = (s: Record<string, unknown>) =>
  !s.initialized
    ? "not initialized"
    : `${s.sealed ? "sealed" : "unsealed"} (${s.mode}${s.threshold ? `, ${s.progress ?? "-"}/${s.threshold} of ${s.shares} shares` : ""})`;
const password = () =>
  readSecret({ prompt: "unseal password: ", envVar: "METACRYPT_UNSEAL_PASSWORD" });

program
  .command("status")
  .description("seal status")
  .action(async (_o, cmd: Command) => {
    printResult(cmd, await call(cmd, "GET", "/v1/sys/status"), statusLine);
  });
program
  .command("init")
  .description(
    "create the key hierarchy (admin); password from METACRYPT_UNSEAL_PASSWORD or a prompt",
  )
  .option("--shares <n>", "Shamir mode: number of shares to hand out", Number)
  .option("--threshold <k>", "Shamir mode: shares needed to unseal", Number)
  .action(async (o: { shares?: number; threshold?: number }, cmd: Command) => {
    const body = o.shares
      ? { shares: o.shares, threshold: o.threshold ?? o.shares }
      : { password: await password() };
    const r = await call(cmd, "POST", "/v1/sys/init", body);
    printResult(cmd, r, (x: { shares?: string[] }) =>
      x.shares
        ? `initialized; shares (store each apart, shown once):\n${x.shares.join("\n")}`
        : "initialized (sealed)",
    );
  });
program
  .command("unseal")
  .description("unseal with the password, or hand in one Shamir share")
  .option("--share <share>", "one base64 share")
  .action(async (o: { share?: string }, cmd: Command) => {
    const body = o.share ? { share: o.share } : { password: await password() };
    printResult(cmd, await call(cmd, "POST", "/v1/sys/unseal", body), statusLine);
  });
program
  .command("seal")
  .description("drop every key from memory (admin)")
  .action(async (_o, cmd: Command) => {
    printResult(cmd, await call(cmd, "POST", "/v1/sys/seal"), statusLine);
  });

const mount = program.command("mount").description("engine mounts");
mount.command("list").action(async (_o, cmd: Command) => {
  const r = await call(cmd, "GET", "/v1/mounts");
  printResult(cmd, r.mounts, (m) => formatTable(m, ["name", "type", "created_at"]));
});
mount
  .command("create <name> <type>")
  .description("mount an engine (admin)")
  .action(async (name: string, type: string, _o, cmd: Command) => {
    printResult(
      cmd,
      await call(cmd, "POST", "/v1/mounts", { name, type }),
      (m) => `mounted ${m.type} at ${m.name}`,
    );
  });
mount
  .command("delete <name>")
  .description("unmount and destroy its data (admin)")
  .action(async (name: string, _o, cmd: Command) => {
    await call(cmd, "DELETE", `/v1/mounts/${encodeURIComponent(name)}`);
    printResult(cmd, { deleted: name }, () => `unmounted ${name}`);
  });
program
  .command("request <mount> <operation>")
  .description("any engine operation: POST /v1/engine/request with --data as JSON")
  .option("--data <json>", "request data (a JSON object)", "{}")
  .action(async (m: string, op: string, o: { data: string }, cmd: Command) => {
    printResult(cmd, await engine(cmd, m, op, JSON.parse(o.data) as object));
  });

addCaCommands(program);
addAcmeCommands(program);
addPolicyCommands(program);
