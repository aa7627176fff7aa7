// readJson: parse and validate a JSON request body, turning every failure into a 400 AppError
// that names the offending field.
import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "../errors/index.ts";
import { readBodyText } from "./body.ts";

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header("Content-Type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError(415, "unsupported_media_type", "expected Content-Type: application/json");
  }
  const text = await readBodyText(c);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw AppError.badRequest("invalid_json", "request body is not valid JSON");
  }
  const r = schema.safeParse(raw);
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
