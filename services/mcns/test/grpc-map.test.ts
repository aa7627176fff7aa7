import assert from "node:assert/strict";
import { test } from "node:test";
import { missingMethods } from "@metacircular/mcdsl/grpc";
import { grpcAccess, grpcServices } from "../src/grpcserver/method-map.ts";

test("every gRPC method is declared in the access map", () => {
  assert.deepEqual(missingMethods(grpcServices, grpcAccess), []);
  assert.equal(Object.keys(grpcAccess).length, 12);
});
