// mciasctl token / policy / keys commands.
import type { Command } from "commander";
import { call, collect, output, table } from "./context.ts";

interface RuleOpts {
  priority: string;
  effect: string;
  role?: string[];
  type?: string[];
  service?: string[];
  tag?: string[];
  description?: string;
}

function ruleBody(o: RuleOpts) {
  return {
    priority: Number(o.priority),
    effect: o.effect,
    roles: o.role ?? [],
    account_types: o.type ?? [],
    service_names: o.service ?? [],
    tags: o.tag ?? [],
    description: o.description ?? "",
  };
}

function ruleOptions(cmd: Command): Command {
  return cmd
    .requiredOption("--priority <n>", "lower numbers are evaluated first")
    .requiredOption("--effect <effect>", "allow or deny")
    .option("--role <role>", "match any of these roles", collect)
    .option("--type <type>", "match these account types (human, system)", collect)
    .option("--service <name>", "match these service names", collect)
    .option("--tag <tag>", "require all of these service tags", collect)
    .option("--description <text>");
}

export function registerTokenCommands(program: Command): void {
  const token = program.command("token").description("issue and revoke tokens");
  token
    .command("issue <username>")
    .description("issue a long-lived token for a system account (no password needed)")
    .requiredOption("--audience <service>", "the service the token is for (its service name)")
    .action(async function (this: Command, username: string, o: { audience: string }) {
      const r = await call(this, "POST", "/v1/token/issue", { username, audience: o.audience });
      output(this, r, () => String(r.token));
    });
  token
    .command("revoke <token_id>")
    .description("revoke a token by its id")
    .action(async function (this: Command, jti: string) {
      const r = await call(this, "POST", "/v1/token/revoke", { token_id: jti });
      output(this, r, () => `revoked ${jti}`);
    });
  token
    .command("list <username>")
    .description("list an account's tokens")
    .action(async function (this: Command, username: string) {
      const r = await call(this, "GET", `/v1/accounts/${encodeURIComponent(username)}/tokens`);
      output(this, r, () =>
        table(r.tokens as Record<string, unknown>[], [
          "token_id",
          "kind",
          "audience",
          "expires_at",
          "revoked_at",
        ]),
      );
    });

  const policy = program.command("policy").description("login policy rules");
  policy
    .command("list")
    .description("list the rules and the default effect")
    .action(async function (this: Command) {
      const r = await call(this, "GET", "/v1/policies");
      output(
        this,
        r,
        () =>
          `default: ${r.default}\n${table(r.rules as Record<string, unknown>[], ["id", "priority", "effect", "roles", "account_types", "service_names", "tags", "description"])}`,
      );
    });
  ruleOptions(policy.command("add").description("add a rule")).action(async function (
    this: Command,
    o: RuleOpts,
  ) {
    const r = await call(this, "POST", "/v1/policies", ruleBody(o));
    output(this, r, () => `rule ${r.id} created`);
  });
  ruleOptions(policy.command("update <id>").description("replace a rule")).action(async function (
    this: Command,
    id: string,
    o: RuleOpts,
  ) {
    const r = await call(this, "PUT", `/v1/policies/${encodeURIComponent(id)}`, ruleBody(o));
    output(this, r, () => `rule ${r.id} updated`);
  });
  policy
    .command("delete <id>")
    .description("delete a rule")
    .action(async function (this: Command, id: string) {
      const r = await call(this, "DELETE", `/v1/policies/${encodeURIComponent(id)}`);
      output(this, r, () => `rule ${id} deleted`);
    });

  program
    .command("keys")
    .description("signing keys")
    .command("rotate")
    .description("start signing with a new key; old keys keep verifying until their tokens expire")
    .action(async function (this: Command) {
      const r = await call(this, "POST", "/v1/admin/keys/rotate");
      output(this, r, () => `now signing with ${r.kid}`);
    });
}
