// TOTP enrolment and login against the real process, including replay and recovery codes.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { totpAt } from "../src/totp/totp.ts";
import { json, type MciasInstance, startMcias } from "./helpers.ts";

let m: MciasInstance;
before(async () => {
  m = await startMcias();
  await m.api("POST", "/v1/policies", { priority: 10, effect: "allow", roles: ["user"] });
  await m.createAccount("tina", { roles: ["user"], password: "tina-password-1" });
});
after(async () => {
  await m?.stop();
});

const login = (extra: Record<string, unknown> = {}) =>
  m.api("POST", "/v1/auth/login", { username: "tina", password: "tina-password-1", ...extra }, "");

test("enrol with QR code, log in with a code, refuse replay, use recovery codes once", async () => {
  const token = (await json<{ token: string }>(await login())).token;
  const e = await json<{ secret: string; otpauth_uri: string; qr_svg: string }>(
    await m.api("POST", "/v1/auth/totp/enroll", undefined, token),
  );
  assert.match(e.otpauth_uri, /^otpauth:\/\/totp\/MCIAS%3Atina\?secret=[A-Z2-7]+&issuer=MCIAS/);
  assert.match(e.qr_svg, /^<svg/);
  // still optional until confirmed
  assert.equal((await login()).status, 200);
  const bad = await m.api("POST", "/v1/auth/totp/confirm", { code: "000000" }, token);
  assert.equal(bad.status, 400);
  const conf = await json<{ recovery_codes: string[] }>(
    await m.api("POST", "/v1/auth/totp/confirm", { code: totpAt(e.secret, Date.now()) }, token),
  );
  assert.equal(conf.recovery_codes.length, 10);
  assert.equal(new Set(conf.recovery_codes).size, 10);

  const missing = await login();
  assert.equal(missing.status, 401);
  assert.equal((await json<{ error: { code: string } }>(missing)).error.code, "totp_required");
  assert.equal((await login({ totp_code: "123456" })).status, 401);

  const next = totpAt(e.secret, Date.now() + 30_000);
  assert.equal((await login({ totp_code: next })).status, 200);
  assert.equal((await login({ totp_code: next })).status, 401, "a used code is refused");

  const rc = conf.recovery_codes[0]!;
  assert.equal((await login({ totp_code: rc.toUpperCase() })).status, 200);
  assert.equal((await login({ totp_code: rc })).status, 401, "a recovery code works once");

  const events = await json<{ events: { event: string }[] }>(
    await m.api("GET", "/v1/audit?subject=tina&limit=50"),
  );
  assert.ok(events.events.some((x) => x.event === "totp_enabled"));
  assert.ok(events.events.some((x) => x.event === "recovery_code_used"));
  // nothing in the audit or logs carries the secret
  assert.ok(!m.output().includes(e.secret));

  assert.equal((await m.api("DELETE", "/v1/accounts/tina/totp")).status, 200);
  await m.api("POST", "/v1/accounts/tina/unlock");
  assert.equal((await login()).status, 200);
});
