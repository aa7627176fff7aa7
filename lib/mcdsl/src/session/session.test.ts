import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { createApp } from "../http/app.ts";
import { silentLogger } from "../log/logger.ts";
import { seal, unseal } from "./cookie-codec.ts";
import { newSessionId, sessionStore } from "./session.ts";

const KEY = randomBytes(32);
type Sess = { sid: string; user: string };

function build(opts: { secure?: boolean; ttlSeconds?: number; keys?: Buffer[] } = {}) {
  const store = sessionStore<Sess>({ keys: opts.keys ?? KEY, ...opts });
  const app = createApp({ service: "web", version: "0", logger: silentLogger() });
  app.post("/login", (c) => {
    store.set(c, { sid: newSessionId(), user: "alice" });
    return c.text("in");
  });
  app.get("/me", (c) => c.json({ user: store.get(c)?.user ?? null }));
  app.post("/logout", (c) => {
    store.clear(c);
    return c.text("out");
  });
  return app;
}

function cookieOf(res: Response): string {
  return (res.headers.get("Set-Cookie") ?? "").split(";")[0]!;
}

test("set writes an HttpOnly, Secure, SameSite=Lax cookie that get reads back", async () => {
  const app = build();
  const login = await app.request("/login", { method: "POST" });
  const header = login.headers.get("Set-Cookie") ?? "";
  assert.match(header, /^mc_session=v1\./);
  assert.match(header, /HttpOnly/);
  assert.match(header, /Secure/);
  assert.match(header, /SameSite=Lax/);
  assert.match(header, /Max-Age=43200/);
  const me = await app.request("/me", { headers: { Cookie: cookieOf(login) } });
  assert.deepEqual(await me.json(), { user: "alice" });
});

test("Secure can be turned off for plain-HTTP development only explicitly", async () => {
  const res = await build({ secure: false }).request("/login", { method: "POST" });
  assert.doesNotMatch(res.headers.get("Set-Cookie") ?? "", /Secure/);
});

test("tampered, re-signed with another key, truncated or expired cookies are rejected", async () => {
  const app = build();
  const good = cookieOf(await app.request("/login", { method: "POST" }));
  const value = good.slice("mc_session=".length);
  const [v, body, exp, mac] = value.split(".");
  const forgedBody = Buffer.from(JSON.stringify({ sid: "x", user: "root" })).toString("base64url");
  const cases = [
    `${v}.${forgedBody}.${exp}.${mac}`,
    `${v}.${body}.${Number(exp) + 9999}.${mac}`,
    seal({ sid: "x", user: "root" }, Date.now() / 1000 + 60, randomBytes(32)),
    value.slice(0, -3),
    "garbage",
  ];
  for (const c of cases) {
    const me = await app.request("/me", { headers: { Cookie: `mc_session=${c}` } });
    assert.deepEqual(await me.json(), { user: null }, c);
  }
  assert.equal(unseal(seal({ a: 1 }, Date.now() / 1000 - 1, KEY), KEY).ok, false);
  const expired = unseal(seal({ a: 1 }, 1000, KEY), KEY, 2000);
  assert.deepEqual(expired, { ok: false, reason: "expired" });
});

test("key rotation: cookies signed with the old key still verify", async () => {
  const old = randomBytes(32);
  const value = seal({ sid: "s", user: "bob" }, Date.now() / 1000 + 60, old);
  const app = build({ keys: [randomBytes(32), old] });
  const me = await app.request("/me", { headers: { Cookie: `mc_session=${value}` } });
  assert.deepEqual(await me.json(), { user: "bob" });
});

test("clear expires the cookie; short keys and bad options are refused", async () => {
  const res = await build().request("/logout", { method: "POST" });
  assert.match(res.headers.get("Set-Cookie") ?? "", /mc_session=;.*Max-Age=0/);
  assert.throws(() => sessionStore({ keys: Buffer.alloc(8) }), /at least 32 bytes/);
  assert.throws(() => sessionStore({ keys: KEY, ttlSeconds: 0 }), /positive/);
  assert.throws(() => sessionStore({ keys: KEY, name: "__Host-s", secure: false }), /__Host-/);
});
