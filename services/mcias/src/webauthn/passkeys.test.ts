import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { SoftAuthenticator } from "../../test/passkeys-soft-authenticator.ts";
import { createCore } from "../app.ts";
import { configSchema } from "../config.ts";
import { openDb } from "../db/open.ts";

const ORIGIN = "https://id.example.test";
const cfg = configSchema.parse({
  server: { listen_addr: "127.0.0.1:0" },
  database: { path: ":memory:" },
  webauthn: { rp_id: "id.example.test", origins: [ORIGIN] },
});
const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

function setup(alg: "ES256" | "EdDSA" = "ES256") {
  const core = createCore(cfg, openDb(":memory:"));
  const user = (name: string) =>
    core.accounts.create({ username: name, type: "human", roles: ["user"], passwordHash: null });
  return { core, alice: user("alice"), bob: user("bob"), auth: new SoftAuthenticator(ORIGIN, alg) };
}

async function register(s: ReturnType<typeof setup>, account = s.alice, name = "laptop") {
  const b = await s.core.passkeys.beginRegistration(account, Date.now());
  return s.core.passkeys.finishRegistration(account, b.challengeId, s.auth.create(b.options), name);
}

for (const alg of ["ES256", "EdDSA"] as const) {
  test(`register and log in, with and without a username (${alg})`, async () => {
    const s = setup(alg);
    const info = await register(s);
    assert.equal(info.name, "laptop");
    assert.equal(info.lastUsedAt, null);
    assert.deepEqual(s.core.passkeys.list(s.alice.id), [info]);

    const named = await s.core.passkeys.beginLogin("Alice");
    assert.equal(named.options.allowCredentials?.length, 1);
    const a1 = await s.core.passkeys.finishLogin(named.challengeId, s.auth.get(named.options));
    assert.equal(a1.username, "alice");

    const free = await s.core.passkeys.beginLogin();
    assert.deepEqual(free.options.allowCredentials ?? [], []);
    assert.equal(free.options.userVerification, "required");
    const a2 = await s.core.passkeys.finishLogin(free.challengeId, s.auth.get(free.options));
    assert.equal(a2.id, s.alice.id);
    assert.notEqual(s.core.passkeys.list(s.alice.id)[0]!.lastUsedAt, null);
    const events = s.core.audit.query({ subject: "alice" }).map((r) => r.event);
    assert.deepEqual(events, ["passkey_login", "passkey_login", "passkey_registered"]);
  });
}

test("registration refuses wrong origin, RP ID, replay, missing UV and duplicates", async () => {
  const s = setup();
  const tries: [Parameters<SoftAuthenticator["create"]>[1], string][] = [
    [{ origin: "https://evil.example" }, "passkey_origin_mismatch"],
    [{ rpId: "evil.example" }, "passkey_rp_id_mismatch"],
    [{ noUserVerification: true }, "passkey_user_verification_required"],
  ];
  for (const [tamper, want] of tries) {
    const b = await s.core.passkeys.beginRegistration(s.alice, Date.now());
    await assert.rejects(
      s.core.passkeys.finishRegistration(
        s.alice,
        b.challengeId,
        s.auth.create(b.options, tamper),
        "x",
      ),
      code(want),
    );
  }
  const b = await s.core.passkeys.beginRegistration(s.alice, Date.now());
  const resp = s.auth.create(b.options);
  await s.core.passkeys.finishRegistration(s.alice, b.challengeId, resp, "");
  await assert.rejects(
    s.core.passkeys.finishRegistration(s.alice, b.challengeId, resp, ""),
    code("passkey_challenge_invalid"),
  );
  const again = await s.core.passkeys.beginRegistration(s.alice, Date.now());
  assert.equal(again.options.excludeCredentials?.length, 1);
  await assert.rejects(
    s.core.passkeys.finishRegistration(s.alice, again.challengeId, resp, ""),
    code("passkey_challenge_invalid"),
    "the old response carries the old challenge",
  );
  const other = await s.core.passkeys.beginRegistration(s.bob, Date.now());
  await assert.rejects(
    s.core.passkeys.finishRegistration(
      s.alice,
      other.challengeId,
      s.auth.create(other.options),
      "",
    ),
    code("passkey_challenge_invalid"),
    "a challenge is bound to the account that asked for it",
  );
  await assert.rejects(
    s.core.passkeys.finishRegistration(s.alice, "nope", { id: 1 }, ""),
    code("passkey_challenge_invalid"),
  );
  const bad = await s.core.passkeys.beginRegistration(s.alice, Date.now());
  await assert.rejects(
    s.core.passkeys.finishRegistration(s.alice, bad.challengeId, { id: "x" }, ""),
    code("passkey_invalid_response"),
  );
  assert.equal(s.core.passkeys.list(s.alice.id).length, 1);
  assert.equal(s.core.passkeys.list(s.alice.id)[0]!.name, "passkey");
});

test("login refuses replay, bad signature, clones, other accounts' keys and unknown keys", async () => {
  const s = setup();
  await register(s);
  const login = async (tamper = {}, username?: string, auth = s.auth) => {
    const b = await s.core.passkeys.beginLogin(username);
    return s.core.passkeys.finishLogin(b.challengeId, auth.get(b.options, tamper));
  };
  const b = await s.core.passkeys.beginLogin();
  const resp = s.auth.get(b.options);
  await s.core.passkeys.finishLogin(b.challengeId, resp);
  await assert.rejects(
    s.core.passkeys.finishLogin(b.challengeId, resp),
    code("passkey_challenge_invalid"),
  );
  await assert.rejects(login({ badSignature: true }), code("passkey_signature_invalid"));
  await assert.rejects(login({ origin: "http://localhost:1" }), code("passkey_origin_mismatch"));
  await assert.rejects(login({ rpId: "example.test" }), code("passkey_rp_id_mismatch"));
  await assert.rejects(
    login({ noUserVerification: true }),
    code("passkey_user_verification_required"),
  );
  const stored = s.core.passkeys.store.listFor(s.alice.id)[0]!.counter;
  await assert.rejects(login({ counter: stored }), code("passkey_counter_regressed"));
  await assert.rejects(login({ counter: stored - 1 }), code("passkey_counter_regressed"));
  assert.equal((await login()).username, "alice", "the genuine authenticator still works");
  await assert.rejects(
    login({}, "bob"),
    (e) => e instanceof Error,
    "alice's key is not offered for bob",
  );
  const bobsLogin = await s.core.passkeys.beginLogin("bob");
  const forged = s.auth.get({ ...bobsLogin.options, allowCredentials: [] });
  await assert.rejects(
    s.core.passkeys.finishLogin(bobsLogin.challengeId, forged),
    code("passkey_unknown_credential"),
  );
  const stranger = new SoftAuthenticator(ORIGIN);
  const reg = await s.core.passkeys.beginRegistration(s.bob, Date.now());
  stranger.create(reg.options); // never sent to the server
  await assert.rejects(login({}, undefined, stranger), code("passkey_unknown_credential"));
  const events = s.core.audit.query({ event: "passkey_clone_suspected" });
  assert.equal(events.length, 2);
  assert.equal(s.core.audit.verify().ok, true);
});

test("unknown names get stand-in options; removal is per account and audited", async () => {
  const s = setup();
  const info = await register(s);
  const ghost1 = await s.core.passkeys.beginLogin("ghost");
  const ghost2 = await s.core.passkeys.beginLogin("ghost");
  assert.equal(ghost1.options.allowCredentials?.length, 1);
  assert.equal(ghost1.options.allowCredentials?.[0]?.id, ghost2.options.allowCredentials?.[0]?.id);
  assert.throws(() => s.core.passkeys.remove(s.bob.id, info.id), code("passkey_not_found"));
  s.core.passkeys.remove(s.alice.id, info.id, "admin");
  assert.deepEqual(s.core.passkeys.list(s.alice.id), []);
  assert.throws(() => s.core.passkeys.remove(s.alice.id, info.id), code("passkey_not_found"));
  const row = s.core.audit.query({ event: "passkey_removed" })[0]!;
  assert.equal(row.actor, "admin");
  assert.equal(row.subject, "alice");
});

test("only active human accounts register passkeys", async () => {
  const s = setup();
  const svc = s.core.accounts.create({
    username: "svc",
    type: "system",
    roles: [],
    passwordHash: null,
  });
  await assert.rejects(
    s.core.passkeys.beginRegistration(svc, Date.now()),
    code("passkey_not_allowed"),
  );
  s.core.accounts.setStatus(s.bob.id, "disabled");
  const bob = s.core.accounts.byId(s.bob.id)!;
  await assert.rejects(
    s.core.passkeys.beginRegistration(bob, Date.now()),
    code("passkey_not_allowed"),
  );
});
