// Minimal introspection of zod schemas: enough to coerce env strings to the field's type and to
// find keys the schema does not know (strictness enforced even if a service forgot strictObject).
import type { z } from "zod";

type AnySchema = z.ZodType;
interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  element?: AnySchema;
  shape?: Record<string, AnySchema>;
}

function def(s: AnySchema): Def {
  return (s as unknown as { def: Def }).def;
}

/** Strips optional/default/nullable/pipe wrappers. */
export function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  for (let i = 0; i < 16; i++) {
    const d = def(cur);
    if (d.innerType) cur = d.innerType;
    else if (d.type === "pipe" && d.in) cur = d.in;
    else break;
  }
  return cur;
}

export function kindOf(s: AnySchema): string {
  return def(unwrap(s)).type;
}

export function shapeOf(s: AnySchema): Record<string, AnySchema> | undefined {
  const base = unwrap(s);
  const d = def(base);
  if (d.type !== "object") return undefined;
  return (base as unknown as { shape: Record<string, AnySchema> }).shape;
}

export function elementOf(s: AnySchema): AnySchema | undefined {
  return def(unwrap(s)).element;
}

/** Dotted paths of keys in `data` that `schema` does not declare. */
export function unknownKeys(schema: AnySchema, data: unknown, prefix = ""): string[] {
  if (data === null || typeof data !== "object") return [];
  if (Array.isArray(data)) {
    const el = elementOf(schema);
    return el ? data.flatMap((v, i) => unknownKeys(el, v, `${prefix}[${i}]`)) : [];
  }
  const shape = shapeOf(schema);
  if (!shape) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const field = shape[k];
    if (!field) out.push(path);
    else out.push(...unknownKeys(field, v, path));
  }
  return out;
}

/** Converts an environment string to what the field expects; undefined when it cannot. */
export function coerceEnv(field: AnySchema, raw: string): unknown {
  const kind = kindOf(field);
  const v = raw.trim();
  switch (kind) {
    case "number":
    case "int": {
      if (v === "" || !Number.isFinite(Number(v))) return raw;
      return Number(v);
    }
    case "bigint":
      return /^-?\d+$/.test(v) ? BigInt(v) : raw;
    case "boolean": {
      const l = v.toLowerCase();
      if (["true", "1", "yes", "on"].includes(l)) return true;
      if (["false", "0", "no", "off"].includes(l)) return false;
      return raw;
    }
    case "array": {
      if (v.startsWith("[")) {
        try {
          return JSON.parse(v);
        } catch {
          return raw;
        }
      }
      const el = elementOf(field);
      const parts = v === "" ? [] : v.split(",").map((p) => p.trim());
      return el ? parts.map((p) => coerceEnv(el, p)) : parts;
    }
    default:
      return raw;
  }
}
