import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requestHeaders, responseHeaders } from "./forward-headers.ts";

describe("forward headers", () => {
  it("strips hop-by-hop headers and appends forwarding headers", () => {
    const out = requestHeaders(
      {
        host: "a.test",
        connection: "keep-alive, x-secret-hop",
        "x-secret-hop": "1",
        "keep-alive": "timeout=5",
        "x-forwarded-for": "198.51.100.1",
        "x-real-ip": "spoofed",
        te: "trailers",
        accept: "*/*",
      },
      "203.0.113.5",
      true,
    );
    assert.deepEqual(out, {
      accept: "*/*",
      "x-forwarded-for": "198.51.100.1, 203.0.113.5",
      "x-real-ip": "203.0.113.5",
      "x-forwarded-proto": "https",
      te: "trailers",
    });
  });
  it("filters response headers", () => {
    assert.deepEqual(
      responseHeaders({ "transfer-encoding": "chunked", "content-type": "text/plain" }),
      {
        "content-type": "text/plain",
      },
    );
  });
});
