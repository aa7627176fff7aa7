// Passkeys over REST against the real mcias process, with a software authenticator producing
// real CBOR, authenticator data and signatures (P-256 and Ed25519).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { json, type MciasInstance, startMcias } from "./helpers.ts";
import {
  beginLogin,
  errorCode,
  ORIGIN,
  passkeyLogin,
  registerPasskey,
  SoftAuthenticator,
  userToken,
  WEBAUTHN_TOML,
} from "./passkeys-helpers.ts";

let m: MciasInstance;
let daveToken: string;
const dave = new SoftAuthenticator(ORIGIN, "EdDSA");

before(async () => {
  m = await startMcias({
    extraToml: [
      WEBAUTHN_TOML,
      "[protection]",
      "free_failures = 2",
      "base_delay_s = 300",
      "[policy]",
      'default = "allow"',
    ].join("\n"),
  });
  await m.createAccount("dave", { password: "dave-password-123" });
  await m.createAccount("erin", { password: "erin-password-123" });
  daveToken = await userToken(m, "dave", "dave-password-123");
  const reg = await registerPasskey(m, daveToken, dave, "dave's laptop");
  assert.equal(reg.status, 201, await reg.clone().text());
});
after(() => m?.stop());

test("registration, listing and username-less login issue a valid token", async () => {
  const list = await json<{ passkeys: { id: string; name: string; last_used_at: null }[] }>(
    await m.api("GET", "/v1/auth/passkeys", undefined, daveToken),
  );
  assert.equal(list.passkeys.length, 1);
  assert.equal(list.passkeys[0]!.name, "dave's laptop");

  const res = await passkeyLogin(m, dave, { serviceName: "mcns" });
  assert.equal(res.status, 200, await res.clone().text());
  const t = await json<{ token: string; username: string; roles: string[] }>(res);
  assert.equal(t.username, "dave");
  assert.deepEqual(t.roles, ["user"]);
  const v = await json(await m.api("POST", "/v1/token/validate", { token: t.token }, ""));
  assert.equal(v.valid, true);
  assert.equal(v.audience, "mcns");

  const named = await passkeyLogin(m, dave, { username: "Dave" });
  assert.equal(named.status, 200);

  const audit = await json<{ events: { detail: { method?: string } }[] }>(
    await m.api("GET", "/v1/audit?event=login_success&subject=dave"),
  );
  assert.ok(audit.events.some((e) => e.detail.method === "passkey"));
});

test("refusals carry stable codes: origin, RP ID, replay, signature, clone, UV", async () => {
  const cases: [Parameters<typeof passkeyLogin>[2], number, string][] = [
    [{ tamper: { origin: "https://evil.example" } }, 400, "passkey_origin_mismatch"],
    [{ tamper: { origin: "http://localhost:8443" } }, 400, "passkey_origin_mismatch"],
    [{ tamper: { rpId: "example.com" } }, 400, "passkey_rp_id_mismatch"],
    [{ tamper: { badSignature: true } }, 401, "passkey_signature_invalid"],
    [{ tamper: { noUserVerification: true } }, 401, "passkey_user_verification_required"],
    [{ tamper: { counter: 1 } }, 401, "passkey_counter_regressed"],
    [{ username: "erin" }, 401, "passkey_unknown_credential"],
  ];
  for (const [opts, status, want] of cases) {
    const res =
      opts?.username === "erin"
        ? await (async () => {
            const b = await beginLogin(m, "erin");
            const forged = dave.get({ ...b.options, allowCredentials: [] });
            return m.api(
              "POST",
              "/v1/auth/passkey/login/finish",
              { challenge_id: b.challenge_id, response: forged },
              "",
            );
          })()
        : await passkeyLogin(m, dave, opts);
    assert.equal(res.status, status, want);
    assert.equal(await errorCode(res), want);
  }

  const b = await beginLogin(m);
  const resp = dave.get(b.options);
  const finish = () =>
    m.api(
      "POST",
      "/v1/auth/passkey/login/finish",
      { challenge_id: b.challenge_id, response: resp },
      "",
    );
  assert.equal((await finish()).status, 200);
  const replay = await finish();
  assert.equal(replay.status, 400);
  assert.equal(await errorCode(replay), "passkey_challenge_invalid");

  const clones = await json<{ events: unknown[] }>(
    await m.api("GET", "/v1/audit?event=passkey_clone_suspected"),
  );
  assert.equal(clones.events.length, 1);

  const badReg = await registerPasskey(m, daveToken, new SoftAuthenticator("https://evil.example"));
  assert.equal(badReg.status, 400);
  assert.equal(await errorCode(badReg), "passkey_origin_mismatch");
  const badRp = await registerPasskey(m, daveToken, dave, "x", { rpId: "evil.example" });
  assert.equal(await errorCode(badRp), "passkey_rp_id_mismatch");
});

test("passkey login works while the password path of the account is throttled", async () => {
  const pw = (password: string) =>
    m.api("POST", "/v1/auth/login", { username: "dave", password }, "");
  let last = 0;
  for (let i = 0; i < 5 && last !== 429; i++) last = (await pw("wrong-password")).status;
  assert.equal(last, 429, "the password path is locked out");
  assert.equal((await pw("dave-password-123")).status, 429, "even the right password waits");
  const res = await passkeyLogin(m, dave);
  assert.equal(res.status, 200, await res.clone().text());
});

test("policy still applies to passkey logins", async () => {
  const rule = await json<{ id: number }>(
    await m.api("POST", "/v1/policies", { priority: 1, effect: "deny", service_names: ["vault"] }),
  );
  const res = await passkeyLogin(m, dave, { serviceName: "vault" });
  assert.equal(res.status, 403);
  assert.equal(await errorCode(res), "login_denied");
  await m.api("DELETE", `/v1/policies/${rule.id}`);
});

test("owners and admins remove passkeys; a removed passkey no longer logs in", async () => {
  const erin = new SoftAuthenticator(ORIGIN);
  const erinToken = await userToken(m, "erin", "erin-password-123");
  assert.equal((await registerPasskey(m, erinToken, erin, "one")).status, 201);
  assert.equal((await registerPasskey(m, erinToken, erin, "two")).status, 201);
  const listed = await json<{ passkeys: { id: string; name: string }[] }>(
    await m.api("GET", "/v1/accounts/erin/passkeys"),
  );
  assert.deepEqual(
    listed.passkeys.map((p) => p.name),
    ["one", "two"],
  );
  const [one, two] = listed.passkeys.map((p) => p.id) as [string, string];
  const notMine = await m.api("DELETE", `/v1/auth/passkeys/${one}`, undefined, daveToken);
  assert.equal(notMine.status, 404);
  assert.equal(await errorCode(notMine), "passkey_not_found");
  assert.equal(
    (await m.api("DELETE", `/v1/auth/passkeys/${one}`, undefined, erinToken)).status,
    200,
  );
  assert.equal((await m.api("DELETE", `/v1/accounts/erin/passkeys/${two}`)).status, 200);
  const gone = await passkeyLogin(m, erin);
  assert.equal(gone.status, 401);
  assert.equal(await errorCode(gone), "passkey_unknown_credential");
  const audit = await json<{ events: { actor: string }[] }>(
    await m.api("GET", "/v1/audit?event=passkey_removed&subject=erin"),
  );
  assert.deepEqual(audit.events.map((e) => e.actor).sort(), ["admin", "erin"]);
  assert.equal((await m.api("GET", "/v1/auth/passkeys", undefined, "")).status, 401);
  assert.equal(
    (await m.api("GET", "/v1/accounts/erin/passkeys", undefined, erinToken)).status,
    403,
  );
});
