// mciasctl login / account / role commands.
import { profileOf, saveToken } from "@metacircular/mcdsl/cli";
import { readPassword } from "@metacircular/mcdsl/terminal";
import type { Command } from "commander";
import { call, collect, globals, output, table } from "./context.ts";
import { readDeviceToken, writeDeviceToken } from "./device-file.ts";
import { cliProfile } from "./profile.ts";

const ACCOUNT_COLS = ["username", "type", "roles", "status", "totp_enabled"];

async function newPassword(opts: { password?: boolean }): Promise<string | undefined> {
  if (!opts.password) return undefined;
  return readPassword("New password: ");
}

export function registerAccountCommands(program: Command): void {
  registerLoginCommand(program);
  const account = program.command("account").description("manage accounts");
  registerAccountReadCommands(account);
  registerAccountChangeCommands(account);
  registerAccountCredentialCommands(account);
  registerRoleCommand(program);
}

function registerLoginCommand(program: Command): void {
  const admin = profileOf(cliProfile())?.admin.username;
  program
    .command(admin ? "login [username]" : "login <username>")
    .description(
      "log in, cache the token for the service's audience and print it (password from the terminal or one line of stdin)",
    )
    .option("--service <name>", "the audience: the service the token is for", "mcias")
    .option("--no-cache", "print the token without caching it")
    .option(
      "--device-file <file>",
      "keep this client's device token here (read before, rewritten after a login), so an attack on the account does not lock this client out",
    )
    .action(async function (
      this: Command,
      user: string | undefined,
      o: { service: string; cache: boolean; deviceFile?: string },
    ) {
      const username = user ?? admin ?? "";
      const password = await readPassword("Password: ");
      const totp = process.stdin.isTTY ? await readPassword("TOTP code (empty if none): ") : "";
      const device = o.deviceFile ? readDeviceToken(o.deviceFile) : undefined;
      const r = await call(
        this,
        "POST",
        "/v1/auth/login",
        {
          username,
          password,
          service_name: o.service,
          ...(totp ? { totp_code: totp } : {}),
          ...(device ? { device_token: device } : {}),
        },
        { anonymous: true },
      );
      if (o.deviceFile && typeof r.device_token === "string")
        writeDeviceToken(o.deviceFile, r.device_token);
      if (o.cache) {
        const path = saveToken(globals(this).server, o.service, String(r.token));
        process.stderr.write(
          `logged in as ${username}; token for ${o.service} cached in ${path}\n`,
        );
      }
      output(this, r, () => String(r.token));
    });
}

function registerAccountReadCommands(account: Command): void {
  account
    .command("list")
    .description("list accounts")
    .option("--all", "include deleted accounts")
    .action(async function (this: Command, o: { all?: boolean }) {
      const r = await call(this, "GET", `/v1/accounts${o.all ? "?include_deleted=true" : ""}`);
      output(this, r, () => table(r.accounts as Record<string, unknown>[], ACCOUNT_COLS));
    });
  account
    .command("create <username>")
    .description("create a human or system account")
    .option("--type <type>", "human or system", "human")
    .option("--role <role>", "role (repeatable or comma-separated): admin, user, guest", collect)
    .option("--password", "prompt for a password (no echo; one line from stdin when piped)")
    .action(async function (
      this: Command,
      username: string,
      o: { type: string; role?: string[]; password?: boolean },
    ) {
      const password = await newPassword(o);
      const r = await call(this, "POST", "/v1/accounts", {
        username,
        type: o.type,
        ...(o.role ? { roles: o.role } : {}),
        ...(password === undefined ? {} : { password }),
      });
      output(this, r, () => `created ${r.type} account ${r.username}`);
    });
}

function registerAccountChangeCommands(account: Command): void {
  account
    .command("show <username>")
    .description("show one account")
    .action(async function (this: Command, username: string) {
      const r = await call(this, "GET", `/v1/accounts/${encodeURIComponent(username)}`);
      output(this, r, () => table([r], [...ACCOUNT_COLS, "has_password", "created_at"]));
    });
  for (const verb of ["disable", "enable", "unlock"] as const) {
    account
      .command(`${verb} <username>`)
      .description(`${verb} an account`)
      .action(async function (this: Command, username: string) {
        const r = await call(this, "POST", `/v1/accounts/${encodeURIComponent(username)}/${verb}`);
        output(this, r, () => `${username}: ${verb}d`);
      });
  }
  account
    .command("delete <username>")
    .description("delete an account (its tokens stop working)")
    .action(async function (this: Command, username: string) {
      const r = await call(this, "DELETE", `/v1/accounts/${encodeURIComponent(username)}`);
      output(this, r, () => `${username}: deleted`);
    });
}

function registerAccountCredentialCommands(account: Command): void {
  account
    .command("reset-password <username>")
    .description("set a new password (prompted without echo); revokes the account's tokens")
    .action(async function (this: Command, username: string) {
      const password = await readPassword("New password: ");
      const r = await call(this, "PUT", `/v1/accounts/${encodeURIComponent(username)}/password`, {
        password,
      });
      output(this, r, () => `${username}: password reset`);
    });
  account
    .command("enrolment-link <username>")
    .description("make a one-time link with which the user sets a password or passkey")
    .option("--ttl <seconds>", "link lifetime", "86400")
    .action(async function (this: Command, username: string, o: { ttl: string }) {
      const r = await call(
        this,
        "POST",
        `/v1/accounts/${encodeURIComponent(username)}/enrolment-link`,
        { ttl_s: Number(o.ttl) },
      );
      output(
        this,
        r,
        () =>
          `enrolment token ${r.token} (expires ${r.expires_at}); redeem with POST /v1/enrolment`,
      );
    });
}

function registerRoleCommand(program: Command): void {
  program
    .command("role")
    .description("set an account's roles")
    .command("set <username> <roles...>")
    .description("replace the account's roles (admin, user, guest)")
    .action(async function (this: Command, username: string, roles: string[]) {
      const r = await call(this, "PUT", `/v1/accounts/${encodeURIComponent(username)}/roles`, {
        roles: roles.flatMap((x) => x.split(",")),
      });
      output(this, r, () => `${username}: roles ${(r.roles as string[]).join(",") || "(none)"}`);
    });
}
