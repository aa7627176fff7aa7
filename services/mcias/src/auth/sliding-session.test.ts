import assert from "node:assert/strict";
import { test } from "node:test";
import { createCore } from "../app.ts";
import { configSchema } from "../config.ts";
import { openDb } from "../db/open.ts";
import { SlidingSessions } from "./sliding-session.ts";

const HOUR = 3_600_000;

function setup() {
  const clock = { now: 1_800_000_000_000 };
  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    database: { path: ":memory:" },
  });
  const core = createCore(cfg, openDb(":memory:"), () => clock.now);
  const ana = core.accounts.create({
    username: "ana",
    type: "human",
    roles: ["admin"],
    passwordHash: null,
  });
  const sliding = new SlidingSessions(core, {
    audience: "mcias",
    ttlMs: HOUR,
    maxAgeMs: 10 * HOUR,
    via: "web_ui",
  });
  const identity = (token: string) => {
    const v = core.tokens.validate(token);
    assert.ok(v.valid, `valid: ${JSON.stringify(v)}`);
    return v.identity;
  };
  return { clock, core, ana, sliding, identity };
}

test("a used session is renewed after half its life, keeping the sign-in time", () => {
  const { clock, core, ana, sliding, identity } = setup();
  const first = core.tokens.issue(ana, "login", "mcias", HOUR);
  const signedInAt = identity(first.token).authTime;
  clock.now += 29 * 60_000;
  assert.equal(sliding.touch(identity(first.token)), undefined, "not due yet");
  clock.now += 2 * 60_000;
  const next = sliding.touch(identity(first.token));
  assert.ok(next);
  assert.equal(identity(next.token).authTime, signedInAt);
  assert.equal(identity(next.token).audience, "mcias");
  assert.equal(next.expiresAt, Math.floor(clock.now / 1000) * 1000 + HOUR);
  // A concurrent request with the old cookie gets the same successor; the old token still
  // works until the browser shows the new one.
  assert.equal(sliding.touch(identity(first.token))?.jti, next.jti);
  assert.equal(sliding.touch(identity(next.token)), undefined);
  assert.equal(core.tokens.validate(first.token).valid, false, "replaced token revoked on use");
  // An active user outlives the first token's hour.
  clock.now += 40 * 60_000;
  assert.ok(core.tokens.validate(next.token).valid);
});

test("renewal stops at the absolute limit after sign-in", () => {
  const { clock, core, ana, sliding } = setup();
  let t = core.tokens.issue(ana, "login", "mcias", HOUR);
  const start = clock.now;
  for (let i = 0; i < 40; i++) {
    clock.now += 35 * 60_000;
    const v = core.tokens.validate(t.token);
    if (!v.valid) break;
    const next = sliding.touch(v.identity);
    if (next) t = next;
  }
  assert.equal(core.tokens.validate(t.token).valid, false);
  const lastExpiry = t.expiresAt - start;
  assert.ok(lastExpiry <= 10 * HOUR, `ended ${lastExpiry / HOUR} h after sign-in`);
  assert.ok(
    lastExpiry > 9 * HOUR,
    `an active session lasts close to the limit: ${lastExpiry / HOUR} h`,
  );
});

test("sign-out revokes the current token and its pending successor or predecessor", () => {
  const { clock, core, ana, sliding, identity } = setup();
  const first = core.tokens.issue(ana, "login", "mcias", HOUR);
  clock.now += 45 * 60_000;
  const next = sliding.touch(identity(first.token));
  assert.ok(next);
  sliding.end(identity(first.token), "logout");
  assert.equal(core.tokens.validate(first.token).valid, false);
  assert.equal(core.tokens.validate(next.token).valid, false);

  const other = core.tokens.issue(ana, "login", "mcias", HOUR);
  clock.now += 45 * 60_000;
  const successor = sliding.touch(identity(other.token));
  assert.ok(successor);
  sliding.end(identity(successor.token), "logout");
  assert.equal(core.tokens.validate(other.token).valid, false);
  assert.equal(core.tokens.validate(successor.token).valid, false);
});

test("a disabled account is not renewed", () => {
  const { clock, core, ana, sliding } = setup();
  const t = core.tokens.issue(ana, "login", "mcias", HOUR);
  clock.now += 45 * 60_000;
  const id = core.tokens.validate(t.token);
  assert.ok(id.valid);
  core.db.prepare("UPDATE accounts SET status = 'disabled' WHERE id = ?").run(ana.id);
  assert.equal(sliding.touch(id.identity), undefined);
});
