// OAuth request parameters as single strings. RFC 6749 §3.1: a parameter sent more than once
// is an invalid request, so the repeated names are reported instead of picking one value
// (first-wins and last-wins parsers would otherwise disagree about what was asked).
import type { Context } from "hono";
import { invalidRequest } from "./errors.ts";

export interface OAuthParams {
  values: Record<string, string>;
  /** Names that appeared more than once. */
  repeated: string[];
}

/** Flattens parsed query or form data (`all` mode: repeated names are arrays). */
export function singleValues(raw: Record<string, unknown>, maxLength: number): OAuthParams {
  const values: Record<string, string> = {};
  const repeated: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    const list = Array.isArray(v) ? v : [v];
    if (list.length > 1) repeated.push(k);
    const first = list[0];
    if (typeof first === "string") values[k] = first.slice(0, maxLength);
  }
  return { values, repeated };
}

export const queryParams = (c: Context, maxLength: number): OAuthParams =>
  singleValues(c.req.queries(), maxLength);

export async function formParams(c: Context, maxLength: number): Promise<OAuthParams> {
  return singleValues(await c.req.parseBody({ all: true }), maxLength);
}

/** Throws invalid_request naming the first repeated parameter, if any. */
export function refuseRepeated(p: OAuthParams): Record<string, string> {
  if (p.repeated.length > 0)
    throw invalidRequest(`parameter ${p.repeated[0]} is repeated (RFC 6749 §3.1)`);
  return p.values;
}

/** The form body of an OAuth endpoint request; anything but a form, or a repeated parameter, is refused. */
export async function oauthForm(c: Context): Promise<Record<string, string>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded"))
    throw invalidRequest("the body must be application/x-www-form-urlencoded");
  return refuseRepeated(await formParams(c, 8192));
}
