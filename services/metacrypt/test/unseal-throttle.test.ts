// Unseal throttling against the real listeners: after five wrong passwords from one client the
// next attempt, even with the right password, is refused before any key derivation with 429
// `unseal_throttled` and Retry-After (REST) or RESOURCE_EXHAUSTED with the same code (gRPC).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { ERROR_CODE_METADATA } from "@metacircular/mcdsl/errors";
import { SysService } from "@metacircular/proto/metacrypt/v1/sys_pb";
import { bearerTransport, freePort } from "@metacircular/testkit";
import { client, PASSWORD, startTestMetacrypt } from "./helpers/metacrypt.ts";

test("wrong unseal passwords are limited per source, over REST and gRPC", async (t) => {
  const h = await startTestMetacrypt({
    server: { listen_addr: "127.0.0.1:0", grpc_addr: `127.0.0.1:${await freePort()}` },
  });
  t.after(() => h.stop());
  assert.equal(
    (await client(h.url, "tok-admin")("POST", "/v1/sys/init", { password: PASSWORD })).status,
    201,
  );
  const anon = client(h.url);
  for (let i = 0; i < 5; i++) {
    const r = await anon("POST", "/v1/sys/unseal", { password: `wrong password ${i}` });
    assert.equal(r.json.error.code, "invalid_unseal_secret");
  }
  const r = await fetch(`${h.url}/v1/sys/unseal`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ password: PASSWORD }),
  });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get("retry-after")) >= 1);
  assert.equal(((await r.json()) as { error: { code: string } }).error.code, "unseal_throttled");
  assert.equal(h.ops.status().sealed, true);

  // gRPC callers share one source of their own: five failures there, and gRPC is refused too.
  const sys = createClient(SysService, bearerTransport(h.grpc!.url));
  for (let i = 0; i < 5; i++) await sys.unseal({ password: `wrong ${i}` }).catch(() => undefined);
  try {
    await sys.unseal({ password: PASSWORD });
    assert.fail("throttled");
  } catch (e) {
    const c = ConnectError.from(e);
    assert.equal(c.code, Code.ResourceExhausted);
    assert.equal(c.metadata.get(ERROR_CODE_METADATA), "unseal_throttled");
  }
});

test("a burst of concurrent wrong passwords gets five key derivations, not one per request", async (t) => {
  const h = await startTestMetacrypt();
  t.after(() => h.stop());
  assert.equal(
    (await client(h.url, "tok-admin")("POST", "/v1/sys/init", { password: PASSWORD })).status,
    201,
  );
  // All fifteen reach the throttle before the first key derivation has ended (the barrier
  // derives one at a time); attempts under way count against the limit.
  const burst = await Promise.allSettled(
    Array.from({ length: 15 }, (_, i) =>
      h.ops.unseal({ kind: "password", password: `wrong ${i}` }, "burst"),
    ),
  );
  const codes = burst.map((r) =>
    r.status === "rejected" ? (r.reason as { code?: string }).code : "unsealed",
  );
  assert.equal(codes.filter((c) => c === "invalid_unseal_secret").length, 5, codes.join(" "));
  assert.equal(codes.filter((c) => c === "unseal_throttled").length, 10, codes.join(" "));
  assert.equal(h.ops.status().sealed, true);
});
