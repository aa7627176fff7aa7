import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { Hono } from "hono";
import { renderError } from "../http/errors.ts";
import { type CsrfEnv, csrfProtection } from "./middleware.ts";
import { csrfToken, verifyCsrfToken } from "./token.ts";

const KEY = randomBytes(32);

function build() {
  const app = new Hono<CsrfEnv>();
  app.onError((err, c) => renderError(err, c as never));
  // The session id comes from a plain cookie here; real apps read it from sessionStore.
  app.use(csrfProtection({ key: KEY, sessionId: (c) => c.req.header("X-Test-Session") }));
  app.get("/form", (c) => c.text(c.get("csrfToken")));
  app.post("/submit", async (c) => c.json({ ok: true, body: await c.req.parseBody() }));
  app.delete("/thing", (c) => c.json({ deleted: true }));
  return app;
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams(fields).toString(),
});

test("tokens bind to the session id and compare in constant time", () => {
  const t = csrfToken("sid-1", KEY);
  assert.equal(verifyCsrfToken("sid-1", t, KEY), true);
  assert.equal(verifyCsrfToken("sid-2", t, KEY), false);
  assert.equal(verifyCsrfToken("sid-1", t, randomBytes(32)), false);
  assert.equal(verifyCsrfToken("sid-1", undefined, KEY), false);
  assert.equal(verifyCsrfToken("sid-1", "short", KEY), false);
});

test("a form POST with the session's token passes; the handler can still read the form", async () => {
  const app = build();
  const s = { "X-Test-Session": "sess-A" };
  const token = await (await app.request("/form", { headers: s })).text();
  const ok = await app.request("/submit", form({ _csrf: token, name: "zone" }, s));
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { ok: true, body: { _csrf: token, name: "zone" } });
  const viaHeader = await app.request("/thing", {
    method: "DELETE",
    headers: { ...s, "X-CSRF-Token": token },
  });
  assert.equal(viaHeader.status, 200);
});

test("missing, wrong or other-session tokens are 403 csrf_invalid on every mutating method", async () => {
  const app = build();
  const s = { "X-Test-Session": "sess-A" };
  const other = csrfToken("sess-B", KEY);
  for (const req of [
    form({ name: "x" }, s),
    form({ _csrf: other }, s),
    form({ _csrf: "" }, s),
    { method: "DELETE", headers: s },
    { method: "POST", headers: { ...s, "Content-Type": "application/json" }, body: "{}" },
  ]) {
    const r = await app.request("/submit", req);
    const r2 = req.method === "DELETE" ? await app.request("/thing", req) : r;
    assert.equal(r2.status, 403);
    assert.equal(((await r2.json()) as { error: { code: string } }).error.code, "csrf_invalid");
  }
});

test("before login the token binds to a pre-session cookie", async () => {
  const app = build();
  const page = await app.request("/form");
  const cookie = (page.headers.get("Set-Cookie") ?? "").split(";")[0]!;
  assert.match(page.headers.get("Set-Cookie") ?? "", /^mc_csrf=.+HttpOnly.*Secure.*SameSite=Lax/);
  const token = await page.text();
  assert.equal(
    (await app.request("/submit", form({ _csrf: token }, { Cookie: cookie }))).status,
    200,
  );
  // Same token without the cookie (an attacker's page) fails.
  assert.equal((await app.request("/submit", form({ _csrf: token }))).status, 403);
});

test("a short key is refused at startup", () => {
  assert.throws(() => csrfProtection({ key: Buffer.alloc(16) }), /at least 32 bytes/);
});
