// Argon2id parameters: stored hashes are upgraded at the next successful login after the
// configured parameters rise; no default password exists at first start.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { json, startMcias } from "./helpers.ts";

function hashOf(dbPath: string, username: string): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (
      db.prepare("SELECT password_hash FROM accounts WHERE username = ?").get(username) as {
        password_hash: string;
      }
    ).password_hash;
  } finally {
    db.close();
  }
}

test("hashes are rehashed on login when the parameters rise", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mcias-rehash-"));
  try {
    const first = await startMcias({ dir, argon2: { memory_kib: 1024, time_cost: 1 } });
    await first.api("POST", "/v1/policies", { priority: 1, effect: "allow", roles: ["user"] });
    await first.createAccount("rita", { roles: ["user"], password: "rita-password-1" });
    await first.stop();
    assert.match(hashOf(first.dbPath, "rita"), /^\$argon2id\$v=19\$m=1024,/);

    const second = await startMcias({
      dir,
      argon2: { memory_kib: 2048, time_cost: 2 },
      adminPassword: first.adminPassword,
    });
    const r = await second.api(
      "POST",
      "/v1/auth/login",
      { username: "rita", password: "rita-password-1" },
      "",
    );
    assert.equal(r.status, 200);
    await second.stop();
    assert.match(hashOf(first.dbPath, "rita"), /^\$argon2id\$v=19\$m=2048,t=2,p=1\$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("without a configured bootstrap password one is generated and printed once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mcias-boot-"));
  try {
    // With no bootstrap value the server generates one; the helper's own admin login fails.
    const m = await startMcias({ dir, adminPassword: "" }).catch((e: Error) => e);
    assert.ok(m instanceof Error, "the helper cannot log in: there is no default password");
    assert.match(m.message, /one-time password (\S+)/);
    const generated = /one-time password (\S+)/.exec(m.message)![1]!;
    assert.ok(generated.length >= 20);
    const again = await startMcias({ dir, adminPassword: generated });
    const me = await json(await again.api("GET", "/v1/auth/me"));
    assert.equal(me.username, "admin");
    await again.stop();
    assert.ok(!again.output().includes(generated), "the password is not printed a second time");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
