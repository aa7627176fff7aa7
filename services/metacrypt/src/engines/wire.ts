// Request and reply data of engine operations on the wire: binary travels as base64 strings, and
// reply fields are snake_case like the rest of the API. Domain classes keep Buffers and camelCase.

import { z } from "zod";

/** A base64 field of request data, decoded to bytes. */
export const bytes = z.base64().transform((s) => Buffer.from(s, "base64"));

/** Only identifier-like keys change: option names such as "permit-X11-forwarding" stay as they are. */
const snake = (k: string): string =>
  /^[a-z][A-Za-z0-9]*$/.test(k) ? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : k;

/** Field names repeat (a batch of 1000 results has two); each is converted once. Bounded. */
const snakeMemo = new Map<string, string>();
function snakeKey(k: string): string {
  let s = snakeMemo.get(k);
  if (s === undefined) {
    s = snake(k);
    if (snakeMemo.size < 10_000) snakeMemo.set(k, s);
  }
  return s;
}

/** A domain result as reply data: Buffers → base64, object keys camelCase → snake_case. */
export function toWire(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString("base64");
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeKey(k), toWire(v)]));
  return value;
}
