// metacryptctl acme ...: External Account Binding keys for the ACME server of a CA mount. The
// key is created for the caller's MCIAS identity by POST /v1/acme/<mount>/eab (src/acme/eab.ts);
// this command only prints it, ready for lego --eab or certbot --eab-kid.

import { printResult } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { call } from "./api.ts";

interface EabAnswer {
  kid: string;
  hmac_key: string;
  directory: string;
}

const eabLines = (r: EabAnswer) =>
  [
    `kid:       ${r.kid}`,
    `hmac_key:  ${r.hmac_key}`,
    `directory: ${r.directory}`,
    "(one ACME account per key; the account acts as you for policy)",
  ].join("\n");

export function addAcmeCommands(program: Command): void {
  const acme = program.command("acme").description("the ACME server of a CA mount");
  acme
    .command("eab <mount>")
    .description("create an External Account Binding key for the caller (lego --eab, certbot)")
    .action(async (mount: string, _o, cmd: Command) => {
      const r = (await call(cmd, "POST", `/v1/acme/${encodeURIComponent(mount)}/eab`)) as EabAnswer;
      printResult(cmd, r, eabLines);
    });
}
