// X-Registry-Auth encoding: podman decodes it with Go's base64.URLEncoding, which needs the
// padding; without it a pull with credentials failed ("unexpected EOF"). Checked against
// coreutils' base64 (standard alphabet, padded) for lengths covering every padding case.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { registryAuthHeader } from "./client.ts";

test("the header is padded base64 in the URL alphabet, as `base64` writes it", () => {
  for (const password of ["a", "ab", "abc", "tok/en+with?chars>>", "x".repeat(301)]) {
    const auth = { username: "mcp-agent", password };
    const h = registryAuthHeader(auth);
    assert.equal(h.length % 4, 0, `padded: ${h}`);
    const coreutils = execFileSync("base64", ["-w0"], { input: JSON.stringify(auth) })
      .toString()
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    assert.equal(h, coreutils);
    assert.deepEqual(JSON.parse(Buffer.from(h, "base64url").toString("utf8")), auth);
  }
});
