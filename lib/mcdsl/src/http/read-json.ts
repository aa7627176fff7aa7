// readJson: read a JSON request body strictly and validate it, turning every failure into an
// AppError with a stable code:
// - 415 unsupported_media_type: Content-Type is not application/json, or names a charset
//   other than UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is UTF-8);
// - 400 invalid_unicode: the bytes are not well-formed UTF-8, or a string escapes an unpaired
//   surrogate ("\ud800"), which no storage or hash round-trips;
// - 400 invalid_json: not JSON;
// - 400 duplicate_key: a member name repeats within an object (no last-wins guessing);
// - 400 invalid_request: the schema refused the value, naming the offending field.
import { isUtf8 } from "node:buffer";
import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "../errors/index.ts";
import { readBodyBytes } from "./body.ts";
import { parseStrictJson } from "./strict-json.ts";

/**
 * True for `application/json` with no charset or charset=utf-8 (any case, optionally quoted);
 * other parameters are ignored.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type, ...params] = header.split(";");
  if (type!.trim().toLowerCase() !== "application/json") return false;
  for (const p of params) {
    const eq = p.indexOf("=");
    const name = (eq === -1 ? p : p.slice(0, eq)).trim().toLowerCase();
    if (name !== "charset") continue;
    const value = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    if (eq === -1 || value !== "utf-8") return false;
  }
  return true;
}

/** The request body as a strictly parsed JSON value (see the codes above). */
export async function readJsonValue(c: Context): Promise<unknown> {
  if (!isJsonContentType(c.req.header("Content-Type"))) {
    throw new AppError(
      415,
      "unsupported_media_type",
      "expected Content-Type: application/json (charset utf-8 or none)",
    );
  }
  const bytes = await readBodyBytes(c);
  if (!isUtf8(bytes)) throw AppError.badRequest("invalid_unicode", "request body is not UTF-8");
  const r = parseStrictJson(bytes.toString("utf8"));
  if (!r.ok) throw AppError.badRequest(r.code, r.message);
  return r.value;
}

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const r = schema.safeParse(await readJsonValue(c));
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.map(String).join(".");
    throw AppError.badRequest(
      "invalid_request",
      path ? `${path}: ${issue.message}` : issue.message,
    );
  }
  return r.data;
}
