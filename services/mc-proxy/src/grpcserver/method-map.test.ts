import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { missingMethods } from "@metacircular/mcdsl/grpc";
import { ProxyAdminService } from "@metacircular/proto/mcproxy/v1/admin_pb";
import { METHOD_MAP } from "./method-map.ts";

describe("admin method map", () => {
  it("declares every ProxyAdminService method, and nothing else", () => {
    assert.deepEqual(missingMethods([ProxyAdminService], METHOD_MAP), []);
    const declared = new Set(
      ProxyAdminService.methods.map((m) => `/${ProxyAdminService.typeName}/${m.name}`),
    );
    for (const k of Object.keys(METHOD_MAP)) assert.ok(declared.has(k), `${k} is not a method`);
  });
});
