import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { Barrier } from "../barrier/barrier.ts";
import { migrations } from "../db/migrations.ts";
import { clearIssuerCache, createIssuer, loadIssuer } from "./issuers.ts";

test("loaded issuers are reused until the cache is cleared, and never across a re-created mount", async () => {
  const db = openDatabase(":memory:", { migrations });
  const barrier = new Barrier(db, { memory_kib: 256, time_cost: 1, parallelism: 1 });
  barrier.onSeal(clearIssuerCache);
  await barrier.initialize({ kind: "password", password: "issuer cache" });
  await barrier.unseal({ kind: "password", password: "issuer cache" });
  barrier.createMountKey("pki");
  const store = barrier.mountStore("pki");
  await createIssuer(store, { name: "root", key_type: "ec-p256", common_name: "R", ttl_days: 10 });
  const a = await loadIssuer(store, "root");
  assert.equal(await loadIssuer(store, "root"), a);
  barrier.destroyMount("pki");
  barrier.createMountKey("pki");
  await createIssuer(store, { name: "root", key_type: "ec-p256", common_name: "R", ttl_days: 10 });
  const b = await loadIssuer(store, "root");
  assert.notEqual(b, a, "a new root with the same name is a new entry");
  barrier.seal();
  await barrier.unseal({ kind: "password", password: "issuer cache" });
  assert.notEqual(await loadIssuer(store, "root"), b, "sealing emptied the cache");
});
