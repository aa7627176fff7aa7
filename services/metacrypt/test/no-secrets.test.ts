// No secret in any log or error: with every log line captured at trace level, init (password and
// Shamir), failed and successful unseals, issuance with a generated key and a bad request leave
// neither the password, nor a share, nor a private key in the log or in error bodies.

import assert from "node:assert/strict";
import { test } from "node:test";
import { captureLogs } from "@metacircular/mcdsl/log";
import { client, PASSWORD, readyAdmin, setupCa, startTestMetacrypt } from "./helpers/metacrypt.ts";

test("passwords, shares and private keys never reach the log or an error", async () => {
  const logs = captureLogs("metacrypt", "trace");
  const h = await startTestMetacrypt({}, { logger: logs.logger });
  const secrets: string[] = [PASSWORD];
  const errors: string[] = [];
  try {
    const wrong = await client(h.url)("POST", "/v1/sys/unseal", { password: "wrong-guess-123" });
    assert.equal(wrong.json.error.code, "not_initialized");
    const admin = await readyAdmin(h.url);
    const bad = await client(h.url)("POST", "/v1/sys/unseal", { password: "wrong-guess-123" });
    errors.push(bad.body.toString());
    secrets.push("wrong-guess-123");
    await setupCa(admin);
    const issued = await admin("POST", "/v1/engine/request", {
      mount: "pki",
      operation: "issue",
      data: { profile: "svc", common_name: "k.svc.mcp.metacircular.net" },
    });
    const keyBody = (issued.json.private_key as string).split("\n")[1]!;
    secrets.push(keyBody);
    const junk = await admin("POST", "/v1/engine/request", {
      mount: "pki",
      operation: "issue",
      data: { profile: 7 },
    });
    errors.push(junk.body.toString());
  } finally {
    await h.stop();
  }
  const shamirLogs = captureLogs("metacrypt", "trace");
  const s = await startTestMetacrypt({}, { logger: shamirLogs.logger });
  try {
    const init = await client(s.url, "tok-admin")("POST", "/v1/sys/init", {
      shares: 3,
      threshold: 2,
    });
    for (const share of init.json.shares as string[]) {
      secrets.push(share);
      await client(s.url)("POST", "/v1/sys/unseal", { share });
    }
  } finally {
    await s.stop();
  }
  const text = logs.text() + shamirLogs.text();
  assert.ok(text.includes("/v1/sys/unseal"), "requests were logged");
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), `a secret reached the log: ${secret.slice(0, 8)}…`);
    for (const e of errors) assert.ok(!e.includes(secret), "a secret reached an error body");
  }
});
