import assert from "node:assert/strict";
import { test } from "node:test";
import { captureLogs } from "./capture.ts";
import { createLogger } from "./logger.ts";
import { isSecretKey, REDACTED } from "./redact.ts";

const SECRETS = [
  "hunter2-password",
  "eyJhbGciOiJFZERTQSJ9.tok.sig",
  "-----BEGIN PRIVATE KEY-----abc",
  "123456",
  "sid=cookie-value",
  "Bearer abc.def.ghi",
  "csrf-value-xyz",
  "client-secret-value",
];

test("secrets never reach a log line, at any depth and in any casing", () => {
  const cap = captureLogs("svc");
  cap.logger.info(
    {
      password: SECRETS[0],
      user: { name: "alice", newPassword: SECRETS[0], auth: { access_token: SECRETS[1] } },
      tls: { private_key: SECRETS[2] },
      totp_code: SECRETS[3],
      req: {
        headers: { cookie: SECRETS[4], Authorization: SECRETS[5], "x-csrf-token": SECRETS[6] },
      },
      res: { headers: { "set-cookie": [SECRETS[4]] } },
      list: [{ client_secret: SECRETS[7] }],
    },
    "login",
  );
  cap.logger.child({ token: SECRETS[1] }).warn("child bindings are redacted too");
  cap.logger
    .child({ a: 1 })
    .child({ auth: { password: SECRETS[0] } })
    .info("grandchildren too");
  cap.logger.info(`header was Bearer ${"abc.def.ghi"}`);
  const text = cap.text();
  for (const s of SECRETS) {
    assert.ok(!text.includes(s.replace(/^Bearer /, "")), `secret leaked: ${s}`);
  }
  const rec = cap.records()[0]!;
  assert.equal(rec.password, REDACTED);
  assert.equal((rec.user as { name: string }).name, "alice");
  assert.equal(rec.service, "svc");
  assert.equal(rec.level, "info");
  assert.equal(rec.msg, "login");
});

test("errors keep message and stack, secret fields and bearer strings are masked", () => {
  const cap = captureLogs();
  const e = Object.assign(new Error("upstream said Bearer zzz.yyy"), {
    token: "leak-me",
    status: 502,
  });
  cap.logger.error({ err: e }, "call failed");
  const rec = cap.records()[0]!;
  const err = rec.err as Record<string, unknown>;
  assert.equal(err.type, "Error");
  assert.equal(err.status, 502);
  assert.equal(err.token, REDACTED);
  assert.ok(!cap.text().includes("zzz.yyy"));
  assert.ok(!cap.text().includes("leak-me"));
});

test("an Error logged directly keeps no bearer credential in msg; Headers and Maps are redacted", () => {
  const cap = captureLogs();
  cap.logger.error(new Error("upstream said Bearer abc.def"));
  cap.logger.warn(new Error("Bearer q.r.s"), "with message");
  cap.logger.info({ headers: new Headers({ authorization: "Bearer zz.top", "x-a": "1" }) }, "h");
  cap.logger.info({ m: new Map([["api_key", "k-123"]]) }, "m");
  cap.logger.info({ url: "https://idp/cb?state=s1&code=authz-999&x=1" }, "GET /cb?token=tk-42");
  const text = cap.text();
  for (const s of ["abc.def", "q.r.s", "zz.top", "k-123", "authz-999", "tk-42"]) {
    assert.ok(!text.includes(s), s);
  }
  assert.ok(text.includes("state=s1&code=[REDACTED]&x=1"));
  const [a, b, c] = cap.records();
  assert.equal(a!.msg, "upstream said Bearer [REDACTED]");
  assert.equal((a!.err as { type: string }).type, "Error");
  assert.equal(b!.msg, "with message");
  assert.equal((c!.headers as Record<string, string>)["x-a"], "1");
});

test("ids and metadata of secrets stay visible; cycles do not crash", () => {
  assert.equal(isSecretKey("token_id"), false);
  assert.equal(isSecretKey("tokenId"), false);
  assert.equal(isSecretKey("password_length"), false);
  assert.equal(isSecretKey("token"), true);
  assert.equal(isSecretKey("TOTP"), true);
  assert.equal(isSecretKey("key"), true);
  assert.equal(isSecretKey("otp"), true);
  assert.equal(isSecretKey("otp_code"), true);
  assert.equal(isSecretKey("footprint"), false);
  const cap = captureLogs();
  const o: Record<string, unknown> = { token_id: "jti-1" };
  o.self = o;
  cap.logger.info(o, "cyclic");
  assert.equal(cap.records()[0]!.token_id, "jti-1");
});

test("levels filter output", () => {
  const lines: string[] = [];
  const log = createLogger({
    service: "s",
    level: "warn",
    destination: { write: (l) => void lines.push(l) },
  });
  log.info("hidden");
  log.warn("shown");
  assert.equal(lines.length, 1);
  assert.throws(() => createLogger({ service: "s", level: "loud" as "info" }));
});
