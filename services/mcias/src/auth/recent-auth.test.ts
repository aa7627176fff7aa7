import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { requireRecentAuth } from "./recent-auth.ts";

test("a sign-in inside the window passes, an older one is refused with 401", () => {
  const now = 1_000_000_000;
  requireRecentAuth({ authTime: now - 599_000 }, 600, now);
  assert.throws(
    () => requireRecentAuth({ authTime: now - 601_000 }, 600, now),
    (e: unknown) =>
      e instanceof AppError && e.status === 401 && e.code === "reauthentication_required",
  );
});
