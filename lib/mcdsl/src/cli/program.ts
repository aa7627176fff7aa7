// Small helpers every <name>ctl uses with commander: a program with --version and a global
// --json flag, result printing (human by default, JSON with --json), and one error path.

import { Command, CommanderError } from "commander";
import { AppError, ERROR_CODE_METADATA } from "../errors/index.ts";

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

const defaultIO: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

const ioOf = new WeakMap<Command, CliIO>();

function root(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}

export function cliIO(cmd: Command): CliIO {
  return ioOf.get(root(cmd)) ?? defaultIO;
}

export interface CliOptions {
  name: string;
  description: string;
  version: string;
  io?: CliIO;
}

export function createCli(opts: CliOptions): Command {
  const io = opts.io ?? defaultIO;
  const program = new Command(opts.name)
    .description(opts.description)
    .version(opts.version, "--version", "print the version and exit")
    .option("--json", "print machine-readable JSON")
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  ioOf.set(program, io);
  return program;
}

export function wantsJson(cmd: Command): boolean {
  return Boolean(cmd.optsWithGlobals().json);
}

/** Prints `data` as JSON with --json, otherwise `human(data)` (default: JSON too). */
export function printResult<T>(cmd: Command, data: T, human?: (d: T) => string): void {
  const io = cliIO(cmd);
  if (wantsJson(cmd) || !human) io.out(`${JSON.stringify(data, null, 2)}\n`);
  else {
    const text = human(data);
    io.out(text.endsWith("\n") || text === "" ? text : `${text}\n`);
  }
}

/**
 * gRPC status names by number (the Connect `Code` enum, snake_case). A ConnectError is recognised
 * by its shape rather than `instanceof`, so a CLI's start-up does not load @connectrpc/connect
 * and protobuf: commands that talk gRPC import them lazily (mcproxyctl), the others never do.
 */
const GRPC_CODE_NAMES = [
  "ok",
  "canceled",
  "unknown",
  "invalid_argument",
  "deadline_exceeded",
  "not_found",
  "already_exists",
  "permission_denied",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "internal",
  "unavailable",
  "data_loss",
  "unauthenticated",
];

interface RpcErrorShape {
  name: "ConnectError";
  code: number;
  rawMessage: string;
  metadata: Headers;
}

function isRpcError(e: unknown): e is RpcErrorShape {
  const r = e as Partial<RpcErrorShape> | null;
  return (
    e instanceof Error &&
    r?.name === "ConnectError" &&
    typeof r.code === "number" &&
    typeof r.rawMessage === "string" &&
    r.metadata instanceof Headers
  );
}

/** Stable code + message for any error a command may throw (AppError, gRPC, system). */
export function describeError(e: unknown): { errCode: string; message: string } {
  if (e instanceof AppError) return { errCode: e.code, message: e.message };
  if (isRpcError(e)) {
    const snake = GRPC_CODE_NAMES[e.code] ?? "unknown";
    return { errCode: e.metadata.get(ERROR_CODE_METADATA) ?? snake, message: e.rawMessage };
  }
  const sys = (e as { code?: unknown }).code;
  return {
    errCode: typeof sys === "string" ? sys : "error",
    message: e instanceof Error ? e.message : String(e),
  };
}

function oneSentence(message: string): string {
  const line = message.split("\n")[0]!.trim();
  return line.replace(/[.]$/, "") || "request failed";
}

/**
 * Parses and runs; returns the exit code (0 ok, 1 failure, 2 usage) instead of exiting, and sets
 * process.exitCode. Errors print as "error: <message> (<code>)" — or {"error":{code,message}} with --json.
 */
export async function runCli(
  program: Command,
  argv: string[] = process.argv.slice(2),
): Promise<number> {
  const io = cliIO(program);
  let code = 0;
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      code =
        e.code === "commander.helpDisplayed" || e.code === "commander.version"
          ? 0
          : e.exitCode || 2;
    } else {
      code = 1;
      const { errCode, message } = describeError(e);
      if (argv.includes("--json"))
        io.err(`${JSON.stringify({ error: { code: String(errCode), message } })}\n`);
      else io.err(`error: ${oneSentence(message)} (${errCode})\n`);
    }
  }
  // A command may set process.exitCode itself (e.g. a failed check that printed its report).
  const final = code === 0 ? Number(process.exitCode ?? 0) : code;
  process.exitCode = final;
  return final;
}
