// Account lifecycle against the real mcias process over REST.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { json, type MciasInstance, startMcias } from "./helpers.ts";

let m: MciasInstance;
before(async () => {
  m = await startMcias();
});
after(async () => {
  await m?.stop();
});

const login = (username: string, password: string, extra: Record<string, unknown> = {}) =>
  m.api("POST", "/v1/auth/login", { username, password, ...extra }, "");

test("bootstrap admin exists, health and JWKS are public", async () => {
  const h = await fetch(`${m.url}/v1/health`);
  assert.equal(h.status, 200);
  assert.equal((await json(h)).status, "ok");
  const jwks = await json<{ keys: { kty: string; crv: string; kid: string }[] }>(
    await fetch(`${m.url}/.well-known/jwks.json`),
  );
  assert.equal(jwks.keys.length, 1);
  assert.equal(jwks.keys[0]!.crv, "Ed25519");
  const me = await json(await m.api("GET", "/v1/auth/me"));
  assert.equal(me.username, "admin");
  assert.deepEqual(me.roles, ["admin"]);
});

test("create, list, normalise names, refuse reserved names and bad roles", async () => {
  const a = await m.createAccount("Alice.Smith", { roles: ["user"], password: "alice-password-1" });
  assert.equal(a.username, "alice.smith");
  const dup = await m.api("POST", "/v1/accounts", {
    username: "ALICE.SMITH",
    password: "x".repeat(12),
  });
  assert.equal(dup.status, 409);
  assert.equal((await json<{ error: { code: string } }>(dup)).error.code, "account_exists");
  const reserved = await m.api("POST", "/v1/accounts", { username: "Root" });
  assert.equal(reserved.status, 400);
  assert.equal((await json<{ error: { code: string } }>(reserved)).error.code, "reserved_username");
  const badRole = await m.api("POST", "/v1/accounts", { username: "bob", roles: ["superuser"] });
  assert.equal(badRole.status, 400);
  const sysRoles = await m.api("POST", "/v1/accounts", {
    username: "svc-x",
    type: "system",
    roles: ["user"],
  });
  assert.equal((await json<{ error: { code: string } }>(sysRoles)).error.code, "invalid_role");
  const weak = await m.api("POST", "/v1/accounts", { username: "weakling", password: "short" });
  assert.equal((await json<{ error: { code: string } }>(weak)).error.code, "weak_password");
  const list = await json<{ accounts: { username: string }[] }>(await m.api("GET", "/v1/accounts"));
  assert.ok(list.accounts.some((x) => x.username === "alice.smith"));
});

test("login, roles change, disable revokes every token, enable, soft delete is audited", async () => {
  await m.createAccount("carol", { roles: ["user"], password: "carol-password-1" });
  await m.api("POST", "/v1/policies", { priority: 500, effect: "allow", roles: ["user"] });
  const l = await login("CAROL", "carol-password-1");
  assert.equal(l.status, 200);
  const { token } = await json<{ token: string }>(l);
  const v = await json(await m.api("POST", "/v1/token/validate", { token }, ""));
  assert.equal(v.valid, true);
  assert.equal(v.username, "carol");
  assert.equal(v.account_type, "human");
  assert.deepEqual(v.roles, ["user"]);

  const roles = await json(
    await m.api("PUT", "/v1/accounts/carol/roles", { roles: ["guest", "user"] }),
  );
  assert.deepEqual(roles.roles, ["guest", "user"]);

  assert.equal((await m.api("POST", "/v1/accounts/carol/disable")).status, 200);
  assert.equal((await json(await m.api("POST", "/v1/token/validate", { token }, ""))).valid, false);
  assert.equal((await login("carol", "carol-password-1")).status, 401);
  assert.equal((await m.api("POST", "/v1/accounts/carol/enable")).status, 200);
  assert.equal((await login("carol", "carol-password-1")).status, 200);

  assert.equal((await m.api("DELETE", "/v1/accounts/carol")).status, 200);
  assert.equal((await m.api("GET", "/v1/accounts/carol")).status, 404);
  const audit = await json<{ events: { event: string; actor: string; subject: string }[] }>(
    await m.api("GET", "/v1/audit?subject=carol"),
  );
  const events = audit.events.map((e) => e.event);
  for (const e of [
    "account_created",
    "roles_changed",
    "account_disabled",
    "account_enabled",
    "account_deleted",
  ])
    assert.ok(events.includes(e), `audit has ${e}`);
  assert.equal(audit.events.find((e) => e.event === "account_deleted")!.actor, "admin");
  // a deleted name can be created again, as a new account
  await m.createAccount("carol", { roles: ["user"], password: "carol-password-2" });
});

test("password change by the user and reset by an admin", async () => {
  await m.createAccount("dave", { roles: ["admin"], password: "dave-password-1" });
  const t1 = (await json<{ token: string }>(await login("dave", "dave-password-1"))).token;
  const t2 = (await json<{ token: string }>(await login("dave", "dave-password-1"))).token;
  const wrong = await m.api(
    "PUT",
    "/v1/auth/password",
    { current_password: "nope", new_password: "dave-password-2" },
    t1,
  );
  assert.equal(wrong.status, 401);
  const ok = await m.api(
    "PUT",
    "/v1/auth/password",
    { current_password: "dave-password-1", new_password: "dave-password-2" },
    t1,
  );
  assert.equal(ok.status, 200);
  assert.equal(
    (await json(await m.api("POST", "/v1/token/validate", { token: t1 }, ""))).valid,
    true,
  );
  assert.equal(
    (await json(await m.api("POST", "/v1/token/validate", { token: t2 }, ""))).valid,
    false,
  );
  assert.equal((await login("dave", "dave-password-2")).status, 200);

  assert.equal(
    (await m.api("PUT", "/v1/accounts/dave/password", { password: "dave-password-3" })).status,
    200,
  );
  assert.equal(
    (await json(await m.api("POST", "/v1/token/validate", { token: t1 }, ""))).valid,
    false,
  );
  assert.equal((await login("dave", "dave-password-2")).status, 401);
  assert.equal((await login("dave", "dave-password-3")).status, 200);
});

test("non-admins are refused on admin routes; missing tokens get 401", async () => {
  await m.createAccount("erin", { roles: ["user"], password: "erin-password-1" });
  const t = (await json<{ token: string }>(await login("erin", "erin-password-1"))).token;
  const r = await m.api("GET", "/v1/accounts", undefined, t);
  assert.equal(r.status, 403);
  assert.equal((await fetch(`${m.url}/v1/accounts`)).status, 401);
  assert.equal((await fetch(`${m.url}/v1/nope`)).status, 404);
});

test("the last active admin cannot demote themselves", async () => {
  // dave (an admin from an earlier test) can be demoted while "admin" remains
  assert.equal((await m.api("PUT", "/v1/accounts/dave/roles", { roles: ["user"] })).status, 200);
  const r = await m.api("PUT", "/v1/accounts/admin/roles", { roles: ["user"] });
  assert.equal(r.status, 409);
  assert.equal((await json<{ error: { code: string } }>(r)).error.code, "last_admin");
  assert.equal((await m.api("POST", "/v1/accounts/admin/disable")).status, 409);
  assert.deepEqual((await json(await m.api("GET", "/v1/auth/me"))).roles, ["admin"]);
});

test("enrolment link sets a password once", async () => {
  await m.createAccount("frank", { roles: ["user"] });
  const link = await json<{ token: string }>(
    await m.api("POST", "/v1/accounts/frank/enrolment-link", {}),
  );
  const redeem = (password: string) =>
    m.api("POST", "/v1/enrolment", { token: link.token, password }, "");
  assert.equal((await redeem("frank-password-1")).status, 200);
  assert.equal((await redeem("frank-password-2")).status, 404);
  assert.ok(!m.output().includes(link.token), "the link secret is not logged");
  assert.equal((await login("frank", "frank-password-1")).status, 200);
});
