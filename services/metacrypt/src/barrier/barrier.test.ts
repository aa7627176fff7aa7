import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { migrations } from "../db/migrations.ts";
import { Barrier } from "./barrier.ts";

const KDF = { memory_kib: 256, time_cost: 1, parallelism: 1 };
const fresh = () => {
  const db = openDatabase(":memory:", { migrations });
  return { db, barrier: new Barrier(db, KDF) };
};
const code = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === "function" ? p() : p);
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

test("password: init leaves it sealed; a wrong password is refused; the right one unseals", async () => {
  const { db, barrier } = fresh();
  assert.deepEqual(barrier.status(), { initialized: false, sealed: true });
  assert.equal(await code(barrier.unseal({ kind: "password", password: "x" })), "not_initialized");
  await barrier.initialize({ kind: "password", password: "a long enough password" });
  assert.equal(
    await code(barrier.initialize({ kind: "password", password: "again" })),
    "already_initialized",
  );
  assert.equal(barrier.status().sealed, true);
  assert.equal(await code(() => barrier.systemStore().get("x")), "sealed");
  assert.equal(
    await code(barrier.unseal({ kind: "password", password: "wrong" })),
    "invalid_unseal_secret",
  );
  const s = await barrier.unseal({ kind: "password", password: "a long enough password" });
  assert.equal(s.sealed, false);
  barrier.systemStore().put("x", Buffer.from("v"));
  barrier.seal();
  assert.equal(await code(() => barrier.systemStore().get("x")), "sealed");
  // A new process (new Barrier on the same database) unseals with the same password.
  const again = new Barrier(db, KDF);
  await again.unseal({ kind: "password", password: "a long enough password" });
  assert.equal(again.systemStore().get("x")?.toString(), "v");
});

test("Shamir 2-of-3: progress counts distinct shares; any two unseal; a forged share does not", async () => {
  const { barrier } = fresh();
  const { shares } = await barrier.initialize({ kind: "shamir", shares: 3, threshold: 2 });
  assert.equal(shares?.length, 3);
  let s = await barrier.unseal({ kind: "share", share: shares![2]! });
  assert.equal(s.progress, 1);
  s = await barrier.unseal({ kind: "share", share: shares![2]! });
  assert.equal(s.progress, 1, "the same share twice counts once");
  s = await barrier.unseal({ kind: "share", share: shares![0]! });
  assert.equal(s.sealed, false);
  barrier.seal();
  const forged = Buffer.from(shares![1]!, "base64");
  forged[0]! ^= 1;
  await barrier.unseal({ kind: "share", share: forged.toString("base64") });
  assert.equal(
    await code(barrier.unseal({ kind: "share", share: shares![0]! })),
    "invalid_unseal_secret",
  );
  assert.equal(barrier.status().progress, 0, "a failed attempt starts over");
  assert.equal(
    await code(barrier.unseal({ kind: "password", password: "x" })),
    "invalid_unseal_secret",
  );
});

test("entries are AES-GCM bound to their path, and each mount has its own key", async () => {
  const { db, barrier } = fresh();
  await barrier.initialize({ kind: "password", password: "a long enough password" });
  await barrier.unseal({ kind: "password", password: "a long enough password" });
  barrier.createMountKey("a");
  barrier.createMountKey("b");
  const a = barrier.mountStore("a");
  const b = barrier.mountStore("b");
  a.put("secret", Buffer.from("alpha"));
  a.put("other", Buffer.from("beta"));
  b.put("secret", Buffer.from("gamma"));
  const raw = (p: string) =>
    db.prepare("SELECT value FROM entries WHERE path = ?").pluck().get(p) as Buffer;
  assert.ok(!raw("mount/a/secret").includes(Buffer.from("alpha")), "stored encrypted");
  // Two writes of one value never share a nonce or ciphertext.
  a.put("again", Buffer.from("alpha"));
  assert.notDeepEqual(raw("mount/a/again").subarray(1, 13), raw("mount/a/secret").subarray(1, 13));
  // Swapping two entries of one mount: each fails authentication (the path is associated data).
  const swap = db.prepare("UPDATE entries SET value = ? WHERE path = ?");
  const [x, y] = [raw("mount/a/secret"), raw("mount/a/other")];
  swap.run(y, "mount/a/secret");
  assert.throws(() => a.get("secret"), /failed authentication/);
  swap.run(x, "mount/a/secret");
  assert.equal(a.get("secret")?.toString(), "alpha");
  // Copying mount a's entry over mount b's: b's key does not open it.
  swap.run(x, "mount/b/secret");
  assert.throws(() => b.get("secret"), /failed authentication/);
  assert.deepEqual(a.list(""), ["again", "other", "secret"]);
  barrier.destroyMount("a");
  assert.equal(
    db
      .prepare("SELECT count(*) FROM entries WHERE path >= 'mount/a/' AND path < 'mount/a/\uffff'")
      .pluck()
      .get(),
    0,
  );
});
