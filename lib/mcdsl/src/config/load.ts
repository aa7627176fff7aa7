// loadConfig: TOML file → env overrides → $PORT overrides → strict zod validation.
// Precedence (highest first): $PORT / $PORT_<NAME>, <PREFIX>_<SECTION>_<KEY>, the TOML file,
// schema defaults.
import { readFileSync } from "node:fs";
import { parse as parseToml, TomlError } from "smol-toml";
import type { z } from "zod";
import { ConfigError, type ConfigProblem, describeIssue, issuePath } from "./errors.ts";
import { portEnvToAddr } from "./listen-addr.ts";
import { coerceEnv, shapeOf, unknownKeys } from "./schema-walk.ts";

export interface PortOverrides {
  /** Dotted key $PORT overrides. Default "server.listen_addr" when the schema has it. */
  default?: string;
  /** NAME → dotted key; $PORT_<NAME> overrides it. Default { GRPC: "server.grpc_addr" } when present. */
  named?: Record<string, string>;
}

export interface LoadOptions {
  path: string;
  /** "MCNS" → MCNS_SERVER_LISTEN_ADDR overrides [server].listen_addr. */
  envPrefix: string;
  ports?: PortOverrides;
  env?: NodeJS.ProcessEnv;
}

type Table = Record<string, unknown>;

function readToml(path: string): Table {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "read error";
    throw new ConfigError(path, [{ path: "", message: `cannot read file (${code})` }]);
  }
  return parseTomlText(text, path);
}

function parseTomlText(text: string, path: string): Table {
  try {
    return parseToml(text) as Table;
  } catch (e) {
    const where = e instanceof TomlError ? ` at line ${e.line}, column ${e.column}` : "";
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new ConfigError(path, [{ path: "", message: `TOML syntax error${where}: ${msg}` }]);
  }
}

function hasKey(schema: z.ZodType, dotted: string): boolean {
  const [section, key] = dotted.split(".");
  if (!section) return false;
  const shape = shapeOf(schema);
  if (!key) return Boolean(shape?.[section]);
  const sub = shape?.[section] ? shapeOf(shape[section]) : undefined;
  return Boolean(sub?.[key]);
}

function setDotted(data: Table, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let cur = data;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (next === null || typeof next !== "object" || Array.isArray(next)) cur[p] = {};
    cur = cur[p] as Table;
  }
  cur[parts[parts.length - 1]!] = value;
}

function envName(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts]
    .join("_")
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_");
}

/** Applies <PREFIX>_<SECTION>_<KEY> (and <PREFIX>_<KEY> for top-level scalars). */
function applyEnv(
  schema: z.ZodType,
  data: Table,
  prefix: string,
  env: NodeJS.ProcessEnv,
  sources: Map<string, string>,
): void {
  const shape = shapeOf(schema) ?? {};
  for (const [section, sectionSchema] of Object.entries(shape)) {
    const sub = shapeOf(sectionSchema);
    if (!sub) {
      const name = envName(prefix, section);
      const raw = env[name];
      if (raw !== undefined && raw !== "") {
        data[section] = coerceEnv(sectionSchema, raw);
        sources.set(section, `env ${name}`);
      }
      continue;
    }
    for (const [key, field] of Object.entries(sub)) {
      const name = envName(prefix, section, key);
      const raw = env[name];
      if (raw === undefined || raw === "") continue; // empty = unset, as for $PORT
      setDotted(data, `${section}.${key}`, coerceEnv(field, raw));
      sources.set(`${section}.${key}`, `env ${name}`);
    }
  }
}

function applyPorts(
  schema: z.ZodType,
  data: Table,
  ports: PortOverrides | undefined,
  env: NodeJS.ProcessEnv,
  sources: Map<string, string>,
): void {
  const def = ports?.default ?? (hasKey(schema, "server.listen_addr") ? "server.listen_addr" : "");
  const named =
    ports?.named ?? (hasKey(schema, "server.grpc_addr") ? { GRPC: "server.grpc_addr" } : {});
  const port = env.PORT;
  if (def && port !== undefined && port !== "") {
    setDotted(data, def, portEnvToAddr(port));
    sources.set(def, "$PORT");
  }
  for (const [name, key] of Object.entries(named)) {
    const v = env[`PORT_${name.toUpperCase()}`];
    if (v === undefined || v === "") continue;
    setDotted(data, key, portEnvToAddr(v));
    sources.set(key, `$PORT_${name.toUpperCase()}`);
  }
}

export function loadConfig<S extends z.ZodType>(schema: S, opts: LoadOptions): z.infer<S> {
  const env = opts.env ?? process.env;
  const data = readToml(opts.path);
  const sources = new Map<string, string>();
  applyEnv(schema, data, opts.envPrefix, env, sources);
  applyPorts(schema, data, opts.ports, env, sources);
  return validate(schema, data, opts.path, sources);
}

/**
 * A TOML document that is not a service's own config (a deployment definition, say): the same
 * strict validation and the same ConfigError (file, key path, reason), without environment or
 * $PORT overrides. `file` names the document in messages.
 */
export function parseTomlDocument<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
): z.infer<S> {
  return validate(schema, parseTomlText(text, file), file, new Map());
}

/** parseTomlDocument of a file; an unreadable file is a ConfigError naming it. */
export function loadTomlDocument<S extends z.ZodType>(schema: S, path: string): z.infer<S> {
  return validate(schema, readToml(path), path, new Map());
}

function validate<S extends z.ZodType>(
  schema: S,
  data: Table,
  file: string,
  sources: Map<string, string>,
): z.infer<S> {
  const problems: ConfigProblem[] = unknownKeys(schema, data).map((path) => ({
    path,
    message: "unknown key",
  }));
  const result = schema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") continue; // reported above with full paths
      const path = issuePath(issue.path);
      const source = sources.get(path);
      problems.push({ path, message: describeIssue(issue), ...(source ? { source } : {}) });
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return (result as { data: z.infer<S> }).data;
}
