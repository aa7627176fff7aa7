// Batch requests: each item succeeds or fails on its own, in order; one bad item does not fail
// the others. Only expected failures (AppError) become item errors; anything else is a bug and
// fails the whole request.
import { AppError, isAppError } from "@metacircular/mcdsl/errors";

export type BatchResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string } };

export const MAX_BATCH_ITEMS = 1000;

export function runBatch<I, O>(items: readonly I[], op: (item: I) => O): Array<BatchResult<O>> {
  if (!Array.isArray(items) || items.length === 0) {
    throw AppError.badRequest("empty_batch", "a batch has at least one item");
  }
  if (items.length > MAX_BATCH_ITEMS) {
    throw AppError.badRequest("batch_too_large", `a batch has at most ${MAX_BATCH_ITEMS} items`);
  }
  return items.map((item) => {
    try {
      return { ok: true, value: op(item) };
    } catch (e) {
      if (!isAppError(e)) throw e;
      return { ok: false, error: { code: e.code, message: e.message } };
    }
  });
}
