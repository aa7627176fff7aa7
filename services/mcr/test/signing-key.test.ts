// The registry token signing key survives a restart: it is a 0600 file in the data directory,
// and a token minted before the restart still opens /v2/ after it (until it expires). A key
// file others may read is refused; another key does not verify the old token.
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, readFileSync, statSync } from "node:fs";
import { after, before, test } from "node:test";
import { silentLogger } from "@metacircular/mcdsl/log";
import { type McrHandle, startMcr } from "../src/app.ts";
import { signingKeyPath } from "../src/config.ts";
import { RegistryClient } from "./helpers/registry-client.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

let s: Stack;
let restarted: McrHandle | undefined;
before(async () => {
  s = await startStack();
});
after(async () => {
  await restarted?.close();
  await s?.stop();
});

test("a token from before a restart is still valid after it; the key file is 0600", async () => {
  const keyFile = signingKeyPath(s.mcr.config);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  const keyBefore = readFileSync(keyFile, "utf8");
  const token = await s.adminToken("registry:catalog:*");
  assert.equal((await s.reg.req("GET", "/v2/", { token })).status, 200);

  await s.mcr.close();
  restarted = await startMcr(s.mcr.config, { logger: silentLogger() });
  assert.equal(readFileSync(keyFile, "utf8"), keyBefore, "the key was reused, not replaced");
  const reg = new RegistryClient(restarted.url, readFileSync(s.mcr.caCertPath, "utf8"));
  assert.equal((await reg.req("GET", "/v2/", { token })).status, 200);
  assert.equal((await reg.req("GET", "/v2/_catalog", { token })).status, 200);
  await restarted.close();
  restarted = undefined;

  const other = s.tmp.join("other.key");
  const cfg = { ...s.mcr.config, registry: { ...s.mcr.config.registry, signing_key_file: other } };
  restarted = await startMcr(cfg, { logger: silentLogger() });
  const reg2 = new RegistryClient(restarted.url, readFileSync(s.mcr.caCertPath, "utf8"));
  assert.equal((await reg2.req("GET", "/v2/", { token })).status, 401, "another key refuses it");
  await restarted.close();
  restarted = undefined;

  const loose = s.tmp.join("loose.key");
  copyFileSync(keyFile, loose);
  chmodSync(loose, 0o644);
  const bad = { ...s.mcr.config, registry: { ...s.mcr.config.registry, signing_key_file: loose } };
  await assert.rejects(startMcr(bad, { logger: silentLogger() }), /must not be readable by others/);
});
