import assert from "node:assert/strict";
import { test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { AppError } from "./app-error.ts";
import { ERROR_CODE_METADATA, grpcCodeFor, toConnectError } from "./grpc-code.ts";

test("HTTP statuses map to the documented gRPC codes", () => {
  assert.equal(grpcCodeFor(400), Code.InvalidArgument);
  assert.equal(grpcCodeFor(401), Code.Unauthenticated);
  assert.equal(grpcCodeFor(403), Code.PermissionDenied);
  assert.equal(grpcCodeFor(404), Code.NotFound);
  assert.equal(grpcCodeFor(409, "zone_exists"), Code.AlreadyExists);
  assert.equal(grpcCodeFor(409, "name_taken"), Code.AlreadyExists);
  assert.equal(grpcCodeFor(409, "cname_conflict"), Code.FailedPrecondition);
  assert.equal(grpcCodeFor(429), Code.ResourceExhausted);
  assert.equal(grpcCodeFor(503), Code.Unavailable);
  assert.equal(grpcCodeFor(500), Code.Internal);
  assert.equal(grpcCodeFor(418), Code.Internal);
});

test("toConnectError keeps AppError code and retry hint, hides unknown errors", () => {
  const c = toConnectError(AppError.tooManyRequests(3));
  assert.equal(c.code, Code.ResourceExhausted);
  assert.equal(c.metadata.get(ERROR_CODE_METADATA), "rate_limited");
  assert.equal(c.metadata.get("retry-after"), "3");
  const hidden = toConnectError(new Error("password=hunter2"));
  assert.equal(hidden.code, Code.Internal);
  assert.ok(!hidden.message.includes("hunter2"));
  assert.equal(toConnectError(AppError.internal("db path /x")).rawMessage, "internal error");
  const passthrough = new ConnectError("x", Code.Aborted);
  assert.equal(toConnectError(passthrough), passthrough);
});
