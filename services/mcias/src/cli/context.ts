// Shared plumbing for mciasctl: the REST client built from global options, error handling,
// and human/JSON output.
import { JsonClient } from "@metacircular/mcdsl/auth";
import type { Command } from "commander";

export interface GlobalOptions {
  server: string;
  token?: string;
  caCert?: string;
  json?: boolean;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function globals(cmd: Command): GlobalOptions {
  const g = cmd.optsWithGlobals() as GlobalOptions;
  // Read here rather than as a commander default, so --help never prints the token.
  const token = g.token ?? process.env.MCIAS_TOKEN;
  return token ? { ...g, token } : g;
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
    throw new CliError("no admin token: set MCIAS_TOKEN or pass --token", 2);
  const client = new JsonClient(g.server, g.caCert);
  try {
    const res = await client.request(method, path, {
      ...(body === undefined ? {} : { body }),
      ...(opts.anonymous || !g.token ? {} : { token: g.token }),
    });
    const b = (res.body ?? {}) as Record<string, unknown>;
    if (res.status >= 400) {
      const e = (b.error ?? {}) as { code?: string; message?: string };
      throw new CliError(`${e.code ?? res.status}: ${e.message ?? "request failed"}`);
    }
    return b;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot reach MCIAS at ${g.server}: ${(e as Error).message}`);
  } finally {
    client.close();
  }
}

/** Prints `data` as JSON with --json, otherwise with the human formatter. */
export function output(cmd: Command, data: unknown, human: () => string): void {
  if (globals(cmd).json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else process.stdout.write(`${human()}\n`);
}

export function table(rows: Record<string, unknown>[], cols: string[]): string {
  if (rows.length === 0) return "(none)";
  const cell = (v: unknown) =>
    Array.isArray(v) ? v.join(",") : v === null || v === undefined ? "-" : String(v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    line(cols.map((c) => c.toUpperCase())),
    ...rows.map((r) => line(cols.map((c) => cell(r[c])))),
  ].join("\n");
}

export function collect(value: string, prev: string[] = []): string[] {
  return [...prev, ...value.split(",").filter(Boolean)];
}
