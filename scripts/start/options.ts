// `npm start` arguments and their environment fallbacks.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_PORT_BASE, PORT_SPAN } from "./ports.ts";

export interface StartOptions {
  /** Undefined: the base saved in the data dir, else DEFAULT_PORT_BASE. */
  portBase: number | undefined;
  dataDir: string;
  reset: boolean;
  /** Stream every service's log to the terminal as well as to its log file. */
  logs: boolean;
  /** Optional services to leave out this time (e.g. mcp-agent). */
  without: string[];
  help: boolean;
}

export const USAGE = `Usage: npm start [-- options]

Runs the whole platform on this machine for development (MCIAS, MCNS, MC-Proxy, Metacrypt in
DEV mode, MCR, MCQ, MCDoc, MCAT and, where podman runs as root, the MCP agent:
scripts/start/registry.ts) under one supervisor. Ctrl-C or SIGTERM stops everything.

Options:
  --port-base <n>   first of ${PORT_SPAN} consecutive loopback ports (env MC_PORT_BASE;
                    default: the base of the previous start, else ${DEFAULT_PORT_BASE})
  --data-dir <dir>  where configs, databases, certificates and logs live
                    (env MC_DATA_DIR; default .tmp/platform in the checkout)
  --reset           delete the data dir first and start fresh (new admin password)
  --logs            also stream the services' logs here (they always go to <data-dir>/logs)
  --without <name>  leave an optional service out (repeatable; env MC_WITHOUT, comma-separated):
                    mcp-agent
  -h, --help        this text`;

export class UsageError extends Error {}

function parsePortBase(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1024 || n + PORT_SPAN - 1 > 65_535)
    throw new UsageError(
      `--port-base must be an integer from 1024 to ${65_535 - PORT_SPAN + 1}, got ${text}`,
    );
  return n;
}

/** The services to leave out: each must be one of `optional`. */
function parseWithout(names: string[], optional: readonly string[]): string[] {
  for (const n of names)
    if (!optional.includes(n))
      throw new UsageError(
        `--without: ${n} is not an optional service (optional: ${optional.join(", ") || "none"})`,
      );
  return [...new Set(names)];
}

export function parseStartOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
  repoRoot: string,
  optional: readonly string[] = [],
): StartOptions {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return {
    portBase: parsePortBase(values["port-base"] ?? env.MC_PORT_BASE),
    dataDir: resolve(values["data-dir"] ?? env.MC_DATA_DIR ?? resolve(repoRoot, ".tmp/platform")),
    reset: values.reset ?? false,
    logs: values.logs ?? false,
    without: parseWithout(
      values.without ?? (env.MC_WITHOUT ?? "").split(",").filter((n) => n.trim() !== ""),
      optional,
    ),
    help: values.help ?? false,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      "port-base": { type: "string" },
      "data-dir": { type: "string" },
      reset: { type: "boolean" },
      logs: { type: "boolean" },
      without: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
}
