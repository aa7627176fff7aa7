// Webhook signature check and push payload parser: Gitea and GitHub headers, constant-length
// comparison of malformed signatures, name canonicalisation, and a seeded fuzz test of the
// parser and the check (MC_FUZZ_SEED replays): nothing throws, only the right signature passes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { canonicalName, parsePushPayload, refMatches } from "./payload.ts";
import { checkSignature, sign } from "./signature.ts";

const KEY = Buffer.from("shared-secret-0123456789");
const BODY = Buffer.from(
  JSON.stringify({
    ref: "refs/heads/main",
    repository: { name: "docs", full_name: "org/docs", clone_url: "https://git.x/org/docs.git" },
  }),
);

test("Gitea and GitHub signatures", () => {
  const hex = sign(KEY, BODY);
  assert.deepEqual(checkSignature(KEY, BODY, { gitea: hex }), { ok: true, scheme: "gitea" });
  assert.deepEqual(checkSignature(KEY, BODY, { gitea: hex.toUpperCase() }), {
    ok: true,
    scheme: "gitea",
  });
  assert.deepEqual(checkSignature(KEY, BODY, { github: `sha256=${hex}` }), {
    ok: true,
    scheme: "github",
  });
  assert.equal(checkSignature(KEY, BODY, { github: hex }).ok, false);
  assert.equal(checkSignature(KEY, BODY, { gitea: hex.slice(2) }).ok, false);
  assert.equal(
    checkSignature(KEY, Buffer.concat([BODY, Buffer.from(" ")]), { gitea: hex }).ok,
    false,
  );
  assert.deepEqual(checkSignature(KEY, BODY, {}), { ok: false, code: "signature_missing" });
});

test("payload: repository names and ref", () => {
  const r = parsePushPayload(BODY.toString());
  assert.ok(r.ok);
  assert.deepEqual(r.event, {
    names: ["docs", "org/docs", "https://git.x/org/docs.git"],
    ref: "refs/heads/main",
  });
  for (const bad of [
    "",
    "[]",
    "{}",
    '{"repository":1}',
    '{"repository":{"name":5}}',
    '{"a":1,"a":2}',
  ]) {
    assert.equal(parsePushPayload(bad).ok, false, bad);
  }
  assert.equal(canonicalName("https://user:pw@Git.X/org/docs.git/"), "git.x/org/docs");
  assert.ok(refMatches("refs/heads/main", "main"));
  assert.ok(refMatches("refs/tags/v1", "v1"));
  assert.ok(!refMatches("refs/heads/dev", "main"));
});

function mutate(r: ReturnType<typeof rng>, b: Buffer): Buffer {
  const out = Buffer.from(b);
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) {
    const at = r.int(out.length);
    out[at] = r.int(4) === 0 ? r.pick([0x22, 0x7b, 0x7d, 0x5c, 0x3a, 0x2c]) : r.int(256);
  }
  return r.int(3) === 0 ? out.subarray(0, r.int(out.length)) : out;
}

test("fuzz: parser never throws; only the exact body and key pass the check", () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const good = sign(KEY, BODY);
  for (let i = 0; i < 5_000; i++) {
    const body = r.int(5) === 0 ? r.bytes(r.int(200)) : mutate(r, BODY);
    const parsed = parsePushPayload(body.toString("utf8"));
    if (parsed.ok) {
      for (const n of parsed.event.names)
        assert.ok(n.length > 0 && n.length <= 2048, replayHint(seed));
    } else assert.equal(parsed.code, "invalid_payload", replayHint(seed));
    const sig = r.int(2) === 0 ? good : mutate(r, Buffer.from(good)).toString("latin1");
    const passes = checkSignature(KEY, body, { gitea: sig }).ok;
    assert.equal(passes, body.equals(BODY) && sig.toLowerCase() === good, replayHint(seed));
  }
});
