// Token revocation as seen by the mcdsl AuthClient against the real mcias process:
// the revocation watch evicts cached answers long before the 30 s cache TTL.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { AuthClient } from "@metacircular/mcdsl/auth";
import { json, type MciasInstance, startMcias } from "./helpers.ts";

let m: MciasInstance;
before(async () => {
  m = await startMcias();
  await m.api("POST", "/v1/policies", {
    priority: 10,
    effect: "allow",
    roles: ["user"],
    service_names: ["mcns"],
  });
  await m.createAccount("alice", { roles: ["user"], password: "alice-password-1" });
  await m.createAccount("svc-deploy", { type: "system" });
});
after(async () => {
  await m?.stop();
});

/** Polls until `check` is true; fails after `boundMs` (a correctness bound, not a timing assertion). */
async function eventually(
  check: () => Promise<boolean>,
  boundMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(25);
  }
  assert.fail(`${what} did not happen within ${boundMs} ms`);
}

/** Waits for the watch's first answer: it evicts only what is revoked after the epoch it starts from. */
async function watching(client: AuthClient): Promise<void> {
  await eventually(async () => client.revocationEpoch >= 0, 30_000, "the watch's first answer");
}

/** Bound for the watch to evict after a change: generous, and still well inside the 30 s cache. */
const EVICTED_MS = 20_000;

test("login, cached validate, and revocation evicted by the watch well within the 30 s cache", async () => {
  const client = new AuthClient({ serverUrl: m.url, serviceName: "mcns", tags: ["env:test"] });
  try {
    const { token, expiresAt } = await client.login("alice", "alice-password-1");
    assert.ok(expiresAt.getTime() > Date.now());
    const id = await client.validate(token);
    assert.equal(id?.username, "alice");
    assert.equal(id?.accountType, "human");
    assert.deepEqual(id?.roles, ["user"]);
    assert.ok(id?.tokenId);
    assert.equal(client.cachedAnswers, 1);
    client.startRevocationWatch();
    await watching(client);

    const r = await m.api("POST", "/v1/token/revoke", { token_id: id!.tokenId });
    assert.equal(r.status, 200);
    // MCIAS itself refuses it on the very next call
    assert.equal(
      (await json(await m.api("POST", "/v1/token/validate", { token }, ""))).valid,
      false,
    );
    // the client drops its cached answer long before the 30 s TTL
    await eventually(
      async () => (await client.validate(token)) === null,
      EVICTED_MS,
      "client rejection",
    );
  } finally {
    await client.close();
  }
});

test("without the watch, the answer lives until the cache TTL and is rejected right after", async () => {
  const client = new AuthClient({ serverUrl: m.url, serviceName: "mcns", cacheTtlMs: 400 });
  const longCache = new AuthClient({ serverUrl: m.url, serviceName: "mcns" });
  try {
    const { token } = await client.login("alice", "alice-password-1");
    const id = await client.validate(token);
    assert.ok(id);
    assert.ok(await longCache.validate(token));
    await m.api("POST", "/v1/token/revoke", { token_id: id.tokenId });
    // a 30 s cache without the watch still answers from cache: that is the documented bound
    assert.ok(await longCache.validate(token));
    await eventually(
      async () => (await client.validate(token)) === null,
      EVICTED_MS,
      "rejection after TTL",
    );
  } finally {
    await client.close();
    await longCache.close();
  }
});

test("disabling an account evicts all its tokens; logout evicts; system tokens validate", async () => {
  const client = new AuthClient({ serverUrl: m.url, serviceName: "mcns" });
  client.startRevocationWatch();
  try {
    await watching(client);
    await m.createAccount("bob", { roles: ["user"], password: "bob-password-12" });
    const t1 = (await client.login("bob", "bob-password-12")).token;
    const t2 = (await client.login("bob", "bob-password-12")).token;
    assert.ok(await client.validate(t1));
    assert.ok(await client.validate(t2));
    await m.api("POST", "/v1/accounts/bob/disable");
    await eventually(
      async () => (await client.validate(t1)) === null && (await client.validate(t2)) === null,
      EVICTED_MS,
      "eviction of a disabled account's tokens",
    );

    const t0 = (await client.login("alice", "alice-password-1")).token;
    const t3 = (await client.renew(t0)).token;
    assert.equal(await client.validate(t0), null, "a renewed token is retired");
    assert.ok(await client.validate(t3));
    await client.logout(t3);
    assert.equal(await client.validate(t3), null);

    const sys = await m.issueSystemToken("svc-deploy", "mcns");
    const sid = await client.validate(sys);
    assert.equal(sid?.accountType, "system");
    assert.deepEqual(sid?.roles, []);
    const days = (sid!.expiresAt!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 364 && days <= 365, `system token lifetime ${days} days`);
  } finally {
    await client.close();
  }
});

test("a role change reaches caching clients through the feed without revoking", async () => {
  const client = new AuthClient({ serverUrl: m.url, serviceName: "mcns" });
  client.startRevocationWatch();
  try {
    await m.createAccount("ray", { roles: ["user", "guest"], password: "ray-password-123" });
    const { token } = await client.login("ray", "ray-password-123");
    assert.deepEqual((await client.validate(token))?.roles, ["guest", "user"]);
    await watching(client);
    await m.api("PUT", "/v1/accounts/ray/roles", { roles: ["user"] });
    await eventually(
      async () => (await client.validate(token))?.roles.join() === "user",
      EVICTED_MS,
      "role change seen by the client",
    );
  } finally {
    await client.close();
  }
});

test("the revocation feed long-polls: it answers when a revocation happens", async () => {
  const first = await json<{ epoch: number; revoked: string[] }>(
    await fetch(`${m.url}/v1/token/revocations`),
  );
  const login = await json<{ token: string; token_id: string }>(
    await m.api(
      "POST",
      "/v1/auth/login",
      { username: "alice", password: "alice-password-1", service_name: "mcns" },
      "",
    ),
  );
  const poll = fetch(`${m.url}/v1/token/revocations?since=${first.epoch}&wait=20`).then((r) =>
    json<{ epoch: number; revoked: string[] }>(r),
  );
  await sleep(100);
  await m.api("POST", "/v1/auth/logout", undefined, login.token);
  const page = await poll;
  assert.equal(page.epoch, first.epoch + 1);
  assert.deepEqual(page.revoked, [login.token_id]);
  const bad = await fetch(`${m.url}/v1/token/revocations?since=abc`);
  assert.equal(bad.status, 400);
});

test("a wrong service is refused at login, and a token for one service is not valid at another", async () => {
  const client = new AuthClient({ serverUrl: m.url, serviceName: "mcr" });
  const mcns = new AuthClient({ serverUrl: m.url, serviceName: "mcns" });
  try {
    const { token } = await mcns.login("alice", "alice-password-1");
    assert.ok(await mcns.validate(token));
    assert.equal(await client.validate(token), null, "an mcns token is refused by mcr");
    const sys = await m.issueSystemToken("svc-deploy", "mcns");
    assert.ok(await mcns.validate(sys), "a system token is valid at the service it names");
    assert.equal(await client.validate(sys), null, "and nowhere else");
    await assert.rejects(
      client.login("alice", "alice-password-1"),
      (e: Error & { code?: string; status?: number }) =>
        e.code === "login_denied" && e.status === 403,
    );
  } finally {
    await client.close();
    await mcns.close();
  }
});

test("shutdown answers pending long-polls instead of waiting for them", async () => {
  const first = await json<{ epoch: number }>(await fetch(`${m.url}/v1/token/revocations`));
  const poll = fetch(`${m.url}/v1/token/revocations?since=${first.epoch}&wait=30`);
  // Nothing shows that the long-poll has reached the server; a loaded machine can take well over
  // 100 ms to connect, accept and route it, and a request not yet accepted is refused by the stop.
  await sleep(500);
  await m.stop();
  const res = await poll;
  assert.equal(res.status, 200);
  assert.deepEqual((await json<{ revoked: string[] }>(res)).revoked, []);
});
