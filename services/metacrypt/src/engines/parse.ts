// Request data of an engine operation, checked against its zod schema: the first problem becomes
// a stable `invalid_request` error naming the field.

import { AppError } from "@metacircular/mcdsl/errors";
import type { z } from "zod";

export function parseData<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw AppError.badRequest("invalid_request", `${i.path.join(".") || "request"}: ${i.message}`);
  }
  return r.data;
}
