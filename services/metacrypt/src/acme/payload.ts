// Payload checks shared by the use cases: allowed members only, typed fields, POST-as-GET.

import { problem } from "./problem.ts";

export function only(p: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(p))
    if (!allowed.includes(k)) throw problem("malformed", `${what}: unexpected member "${k}"`);
}

export function optionalString(p: Record<string, unknown>, key: string): string | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.length === 0 || v.length > 4096)
    throw problem("malformed", `${key} must be a non-empty string`);
  return v;
}

export function optionalBoolean(p: Record<string, unknown>, key: string): boolean | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v !== "boolean") throw problem("malformed", `${key} must be a boolean`);
  return v;
}

/** POST-as-GET: the payload must be empty. */
export function requireEmpty(p: Record<string, unknown> | undefined, what: string): void {
  if (p !== undefined) throw problem("malformed", `${what} is fetched with POST-as-GET`);
}
