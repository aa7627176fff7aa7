// Seeded fuzz of the engine adapters' request data (what `POST /v1/engine/request` and
// EngineService.Request hand them from the network): random objects with the operations' field
// names and values of every JSON type. Each call either succeeds or fails with an AppError below
// 500 and a snake_case code; nothing throws anything else. Replay a failure with MC_FUZZ_SEED.

import assert from "node:assert/strict";
import { test } from "node:test";
import { isAppError } from "@metacircular/mcdsl/errors";
import type { Identity } from "@metacircular/mcdsl/identity";
import { fuzzSeed, type Rng, replayHint, rng } from "@metacircular/testkit";
import type { EngineContext, EngineType } from "../src/engines/engine.ts";
import { SshCaEngine } from "../src/ssh-ca/engine.ts";
import { sshCaEngine } from "../src/ssh-ca/ssh-ca-engine.ts";
import { TransitEngine } from "../src/transit/engine.ts";
import { transitEngine } from "../src/transit/transit-engine.ts";
import { UserCryptoEngine } from "../src/user-crypto/engine.ts";
import { userCryptoEngine } from "../src/user-crypto/user-crypto-engine.ts";
import { MemoryMountStore } from "./helpers/memory-mount-store.ts";

const FIELDS = [
  "name",
  "type",
  "plaintext",
  "ciphertext",
  "context",
  "key_version",
  "input",
  "signature",
  "hmac",
  "algorithm",
  "hash_algorithm",
  "items",
  "bits",
  "include_plaintext",
  "min_decryption_version",
  "deletion_allowed",
  "key_type",
  "max_ttl_seconds",
  "public_key",
  "cert_type",
  "key_id",
  "principals",
  "ttl_seconds",
  "valid_after",
  "critical_options",
  "extensions",
  "serial",
  "recipient",
  "envelope",
  "user",
  "sender",
];

const STRINGS = [
  "k",
  "s",
  "h",
  "bob",
  "alice",
  "",
  "aGk=",
  "metacrypt:v1:AAAA",
  "user",
  "host",
  "ed25519",
  "sha256",
  "1",
  "permit-pty",
  "a.b",
  "\u0000",
  "x".repeat(300),
];

function value(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 1 ? 6 : 9)) {
    case 0:
      return r.pick(STRINGS);
    case 1:
      return r.bytes(r.int(40)).toString("base64");
    case 2:
      return r.pick([0, 1, 2, -1, 1.5, 3600, 1e20, Number.MAX_SAFE_INTEGER]);
    case 3:
      return r.int(2) === 0;
    case 4:
      return null;
    case 5:
      return r.bytes(r.int(20)).toString("latin1");
    case 6:
    case 7:
      return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
    default:
      return data(r, depth + 1);
  }
}

function data(r: Rng, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = r.int(6); i > 0; i--) o[r.pick(FIELDS)] = value(r, depth);
  return o;
}

function stores() {
  const ssh = new MemoryMountStore();
  new SshCaEngine(ssh).initialize({ keyType: "ed25519" });
  const transit = new MemoryMountStore();
  const t = new TransitEngine(transit);
  t.createKey("k", { type: "aes256-gcm" });
  t.createKey("s", { type: "ed25519" });
  t.createKey("h", { type: "hmac" });
  const users = new MemoryMountStore();
  for (const u of ["alice", "bob"]) new UserCryptoEngine(users).ensureKeyPair(u);
  return new Map<EngineType, MemoryMountStore>([
    [sshCaEngine, ssh],
    [transitEngine, transit],
    [userCryptoEngine, users],
  ]);
}

test("fuzz: engine request data succeeds or fails with a stable client error", async () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const engines = stores();
  const identity: Identity = { username: "alice", accountType: "human", roles: [] };
  for (let i = 0; i < 3000; i++) {
    const engine = r.pick([...engines.keys()]);
    const name = r.pick(Object.keys(engine.operations));
    const op = engine.operations[name]!;
    const d = r.int(10) === 0 ? value(r) : data(r);
    const ctx: EngineContext = { mount: "m", store: engines.get(engine)!, identity };
    try {
      op.names?.(d);
      await op.run(ctx, d);
    } catch (e) {
      const what = `${engine.type} ${name} ${JSON.stringify(d)}: ${String(e)}; ${replayHint(seed)}`;
      assert.ok(isAppError(e), what);
      assert.ok(e.status < 500, what);
      assert.match(e.code, /^[a-z][a-z0-9_]*$/, what);
    }
  }
});
