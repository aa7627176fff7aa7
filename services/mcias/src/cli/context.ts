// Shared plumbing for mciasctl: settings (flag > env > CLI profile > default), the admin token
// (--token, MCIAS_TOKEN, or the one `mciasctl login` cached for audience mcias), and the REST call.
import { JsonClient } from "@metacircular/mcdsl/auth";
import { formatTable, loadToken, printResult, type SettingSpec } from "@metacircular/mcdsl/cli";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Command } from "commander";

export const SETTINGS: SettingSpec[] = [
  {
    flags: "--server <url>",
    description: "MCIAS base URL",
    env: "MCIAS_URL",
    fromProfile: (p) => p.mcias.url,
    fallback: "https://127.0.0.1:8443",
  },
  {
    flags: "--ca-cert <file>",
    description: "CA certificate for MCIAS's TLS (https URLs only)",
    env: "MCIAS_CA_CERT",
    fromProfile: (p) => p.ca_cert,
  },
  {
    flags: "--token <token>",
    description: "admin bearer token (else the one `mciasctl login` cached)",
    env: "MCIAS_TOKEN",
    secret: true,
  },
];

export interface GlobalOptions {
  server: string;
  token?: string;
  caCert?: string;
  json?: boolean;
}

/** A CLI-side failure with a stable code, printed by runCli as "error: <message> (<code>)". */
export class CliError extends AppError {
  constructor(code: string, message: string) {
    super(400, code, message);
  }
}

export function globals(cmd: Command): GlobalOptions {
  const g = cmd.optsWithGlobals() as GlobalOptions;
  if (g.token) return g;
  const cached = loadToken(g.server, "mcias");
  return cached ? { ...g, token: cached } : g;
}

export async function call(
  cmd: Command,
  method: string,
  path: string,
  body?: unknown,
  opts: { anonymous?: boolean } = {},
): Promise<Record<string, unknown>> {
  const g = globals(cmd);
  if (!opts.anonymous && !g.token)
    throw new CliError(
      "unauthenticated",
      "not logged in: run `mciasctl login`, set MCIAS_TOKEN or pass --token",
    );
  // The CA matters for https only (the profile's CA is set even for plain-http loopback URLs).
  const ca = g.server.startsWith("https:") ? g.caCert : undefined;
  const client = new JsonClient(g.server, ca);
  try {
    const answer = await client.call(method, path, {
      ...(body === undefined ? {} : { body }),
      ...(opts.anonymous || !g.token ? {} : { token: g.token }),
    });
    return (answer ?? {}) as Record<string, unknown>;
  } finally {
    client.close();
  }
}

/** Prints `data` as JSON with --json, otherwise with the human formatter. */
export function output(cmd: Command, data: unknown, human: () => string): void {
  printResult(cmd, data, human);
}

/** Rows as an aligned table; list cells joined with commas; "(none)" for no rows. */
export function table(rows: Record<string, unknown>[], cols: string[]): string {
  if (rows.length === 0) return "(none)";
  const flat = rows.map((r) =>
    Object.fromEntries(cols.map((c) => [c, Array.isArray(r[c]) ? r[c].join(",") : r[c]])),
  );
  return formatTable(flat, cols);
}

export function collect(value: string, prev: string[] = []): string[] {
  return [...prev, ...value.split(",").filter(Boolean)];
}
