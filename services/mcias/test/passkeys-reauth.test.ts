// Adding a passkey needs a recent sign-in ("sudo mode"): a session token that is old, or was
// renewed from an old one, cannot register a credential — only a fresh login can.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { json, type MciasInstance, startMcias } from "./helpers.ts";
import { errorCode, userToken, WEBAUTHN_TOML } from "./passkeys-helpers.ts";

let m: MciasInstance;

before(async () => {
  m = await startMcias({
    extraToml: [
      `${WEBAUTHN_TOML}\nregistration_max_auth_age_s = 1`,
      "[policy]",
      'default = "allow"',
    ].join("\n"),
  });
  await m.createAccount("fay", { password: "fay-password-1234" });
});
after(() => m?.stop());

const begin = (token: string) => m.api("POST", "/v1/auth/passkeys/register/begin", {}, token);

test("an old or renewed session is refused; a fresh login may register", async () => {
  const fresh = await userToken(m, "fay", "fay-password-1234");
  assert.equal((await begin(fresh)).status, 200);

  await new Promise((r) => setTimeout(r, 1500));
  const stale = await begin(fresh);
  assert.equal(stale.status, 401);
  assert.equal(await errorCode(stale), "reauthentication_required");

  // Renewal issues a new token but keeps the time of the original sign-in.
  const renewed = await m.api("POST", "/v1/auth/renew", {}, fresh);
  assert.equal(renewed.status, 200);
  const { token: renewedToken } = await json<{ token: string }>(renewed);
  const afterRenew = await begin(renewedToken);
  assert.equal(afterRenew.status, 401);
  assert.equal(await errorCode(afterRenew), "reauthentication_required");

  const again = await userToken(m, "fay", "fay-password-1234");
  assert.equal((await begin(again)).status, 200);
});
