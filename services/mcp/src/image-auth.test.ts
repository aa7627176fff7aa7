import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { makeTempDir } from "@metacircular/testkit";
import { imageAuthFrom } from "./app.ts";
import { registryAuthHeader } from "./podman/client.ts";

test("the pull password is read from its file at every pull (a renewed MCR token needs no restart)", (t) => {
  const dir = makeTempDir("mcp-image-auth-");
  t.after(() => dir.remove());
  const file = dir.join("mcr-token");
  writeFileSync(file, "first-token\n");
  const auth = imageAuthFrom({ ...baseImages(), username: "mcp-agent", password_file: file });
  assert.ok(auth);
  const decode = () => JSON.parse(Buffer.from(registryAuthHeader(auth), "base64url").toString());
  assert.deepEqual(decode(), { username: "mcp-agent", password: "first-token" });
  writeFileSync(file, "renewed-token\n");
  assert.deepEqual(decode(), { username: "mcp-agent", password: "renewed-token" });
  assert.equal(imageAuthFrom({ ...baseImages(), username: "mcp-agent" }), undefined);
});

function baseImages(): Parameters<typeof imageAuthFrom>[0] {
  return { pull: true, tls_verify: true };
}
