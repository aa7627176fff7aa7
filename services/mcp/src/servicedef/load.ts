// Reading service definitions: one TOML file per service, validated strictly. Every problem is
// reported at once as a ConfigError naming the file, the key path and the reason; a misspelt
// key also gets the nearest known field ("did you mean public?").
import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  ConfigError,
  type ConfigProblem,
  loadTomlDocument,
  parseTomlDocument,
} from "@metacircular/mcdsl/config";
import { AppError } from "@metacircular/mcdsl/errors";
import { FIELDS, type ServiceDef, serviceSchema } from "./schema.ts";

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + cost);
      prev = cur;
    }
  }
  return row[b.length] as number;
}

function fieldsAt(path: string): readonly string[] {
  if (/^components\[\d+\]\.routes\[\d+\]\.[^.]+$/.test(path)) return FIELDS.route;
  if (/^components\[\d+\]\.health\.[^.]+$/.test(path)) return FIELDS.health;
  if (/^components\[\d+\]\.[^.]+$/.test(path)) return FIELDS.component;
  if (/^build\.[^.]+$/.test(path)) return FIELDS.build;
  if (!path.includes(".")) return FIELDS.service;
  return [];
}

/** "unknown key" plus the closest known field of that level when one is near. */
function withSuggestion(p: ConfigProblem): ConfigProblem {
  if (p.message !== "unknown key") return p;
  const key = p.path.slice(p.path.lastIndexOf(".") + 1);
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const f of fieldsAt(p.path)) {
    const d = distance(key.toLowerCase(), f);
    if (d < bestD) [best, bestD] = [f, d];
  }
  const near = best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3));
  return near ? { ...p, message: `unknown key (did you mean ${best}?)` } : p;
}

/**
 * A refused definition as the API and the CLI report it: one line naming the file and each
 * field with its reason (code invalid_definition); anything else unchanged.
 */
export function definitionError(e: unknown): unknown {
  if (!(e instanceof ConfigError)) return e;
  const problems = e.problems.map((p) => `${p.path || "(file)"}: ${p.message}`).join("; ");
  return AppError.badRequest("invalid_definition", `invalid definition ${e.file}: ${problems}`);
}

function suggesting<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.file, e.problems.map(withSuggestion));
    throw e;
  }
}

/** Parses one definition's text; `file` names it in errors. */
export function parseServiceDef(text: string, file: string): ServiceDef {
  return suggesting(() => parseTomlDocument(serviceSchema, text, file));
}

export function loadServiceDef(path: string): ServiceDef {
  const def = suggesting(() => loadTomlDocument(serviceSchema, path));
  const base = path.slice(path.lastIndexOf("/") + 1).replace(/\.toml$/, "");
  if (base !== def.name) {
    throw new ConfigError(path, [
      { path: "name", message: `is ${def.name}, but the file is named ${base}.toml` },
    ]);
  }
  return def;
}

/** Every <name>.toml in a directory, sorted by name; the first invalid one throws. */
export function loadServiceDefs(dir: string): ServiceDef[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".toml"))
    .sort()
    .map((f) => loadServiceDef(join(dir, f)));
}
