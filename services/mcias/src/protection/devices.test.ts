import assert from "node:assert/strict";
import { test } from "node:test";
import { AccountStore } from "../accounts/accounts.ts";
import { openDb } from "../db/open.ts";
import { DeviceStore, MAX_DEVICES_PER_ACCOUNT } from "./devices.ts";

const cfg = { device_failures: 3, device_lock_s: 600, device_ttl_days: 30 };

function setup() {
  let now = 10_000_000;
  const db = openDb(":memory:");
  const accounts = new AccountStore(db, () => now);
  const alice = accounts.create({
    username: "alice",
    type: "human",
    roles: ["user"],
    passwordHash: null,
  });
  const bob = accounts.create({
    username: "bob",
    type: "human",
    roles: ["user"],
    passwordHash: null,
  });
  const devices = new DeviceStore(db, cfg, () => now);
  return { devices, accounts, alice, bob, advance: (ms: number) => (now += ms) };
}

test("a token is known only for its own live account, unexpired and unaltered", () => {
  const { devices, alice, advance } = setup();
  const token = devices.issue(alice.id);
  assert.deepEqual(devices.recognise(token, "alice")?.accountId, alice.id);
  assert.equal(devices.recognise(token, "bob"), undefined);
  // Altered in its first character (all six bits significant), never to itself.
  const altered = `${token[0] === "A" ? "B" : "A"}${token.slice(1)}`;
  assert.equal(devices.recognise(altered, "alice"), undefined);
  assert.equal(devices.recognise("garbage", "alice"), undefined);
  assert.equal(devices.recognise(undefined, "alice"), undefined);
  advance(31 * 86_400_000);
  assert.equal(devices.recognise(token, "alice"), undefined);
});

test("N failures lock the device for the window; a fresh token replaces the presented one", () => {
  const { devices, alice, advance } = setup();
  const token = devices.issue(alice.id);
  const d = devices.recognise(token, "alice")!;
  for (let i = 0; i < cfg.device_failures; i++) {
    const g = devices.begin(d);
    assert.equal(g.wait, 0);
    devices.recordFailure(d);
    g.release();
  }
  const locked = devices.begin(d);
  assert.ok(locked.wait > 0 && locked.wait <= cfg.device_lock_s);
  advance(cfg.device_lock_s * 1000 + 1);
  assert.equal(devices.begin(d).wait, 0);

  const fresh = devices.issue(alice.id, d);
  assert.equal(devices.recognise(token, "alice"), undefined, "the old token is retired");
  assert.ok(devices.recognise(fresh, "alice"));
});

test("attempts in flight count against the device limit", () => {
  const { devices, alice } = setup();
  const d = devices.recognise(devices.issue(alice.id), "alice")!;
  devices.recordFailure(d);
  devices.recordFailure(d);
  const first = devices.begin(d);
  assert.equal(first.wait, 0);
  assert.equal(devices.begin(d).wait, 1, "a second concurrent guess would exceed the limit");
  first.release();
});

test("at most MAX_DEVICES_PER_ACCOUNT devices are kept, the oldest dropped", () => {
  const { devices, alice, advance } = setup();
  const first = devices.issue(alice.id);
  for (let i = 0; i < MAX_DEVICES_PER_ACCOUNT; i++) {
    advance(1);
    devices.issue(alice.id);
  }
  assert.equal(devices.recognise(first, "alice"), undefined);
});
