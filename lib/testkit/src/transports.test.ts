import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError, toConnectError } from "@metacircular/mcdsl/errors";
import { bothTransports, grpcOutcome, restOutcome } from "./transports.ts";

const restError = (status: number, code: string) =>
  new Response(JSON.stringify({ error: { code, message: "m" } }), { status });

test("a REST error and the gRPC error it maps to are the same outcome", async () => {
  for (const e of [
    AppError.unauthenticated("m", "wrong_audience"),
    AppError.forbidden(),
    AppError.conflict("account_exists", "m"),
    AppError.conflict("last_admin", "m"),
    AppError.badRequest("invalid_request", "m"),
  ]) {
    const rest = await restOutcome(restError(e.status, e.code));
    const grpc = await grpcOutcome(Promise.reject(toConnectError(e)));
    assert.deepEqual(rest, grpc, e.code);
    assert.equal(rest.ok, false);
  }
});

test("successes compare by what the picker chose", async () => {
  const rest = await restOutcome(
    new Response(JSON.stringify({ token: "t", other: 1 }), { status: 200 }),
    (b) => (b as { token: string }).token,
  );
  const grpc = await grpcOutcome(Promise.resolve({ token: "t", $typeName: "x" }), (r) => r.token);
  assert.deepEqual(rest, { ok: true, value: "t" });
  assert.deepEqual(rest, grpc);
  assert.deepEqual(await restOutcome(new Response(null, { status: 204 })), {
    ok: true,
    value: undefined,
  });
});

test("a failure that is not a gRPC error is rethrown, not turned into an outcome", async () => {
  await assert.rejects(grpcOutcome(Promise.reject(new TypeError("bug"))), TypeError);
});

const seen: string[] = [];
bothTransports("bothTransports runs the scenario on each transport, REST first", async (via) => {
  seen.push(via);
  return { answer: 42 };
});

test("bothTransports ran both scenarios", () => {
  assert.deepEqual(seen, ["rest", "grpc"]);
});
