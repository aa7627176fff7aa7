// Seeded fuzz of the JWS envelope parser and the payload reader: mutated valid requests and
// random bytes either parse or are refused with an ACME problem, never anything else.
// MC_FUZZ_SEED replays a run.

import assert from "node:assert/strict";
import { test } from "node:test";
import { generateAccountKey, signJws } from "@metacircular/mcdsl/acme";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { parseJws, payloadOf, publicJwk } from "./jws.ts";
import { AcmeProblem } from "./problem.ts";

function mutate(r: ReturnType<typeof rng>, s: string): string {
  const chars = [...s];
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) {
    const at = r.int(chars.length + 1);
    const op = r.int(3);
    const c = r.pick(['"', "{", "}", ",", ":", "\\", "A", "_", "=", "\u0000", "é", "[", "]"]);
    if (op === 0) chars.splice(at, 1);
    else if (op === 1) chars.splice(at, 0, c);
    else chars[at] = c;
  }
  return chars.join("");
}

test("parseJws/payloadOf: any input parses or is an ACME problem", async () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const key = await generateAccountKey();
  const valid = [
    JSON.stringify(
      await signJws(key, { jwk: key.jwk }, "https://x/acme/p/new-account", "bm9uY2U", {
        contact: [],
      }),
    ),
    JSON.stringify(
      await signJws(
        key,
        { kid: "https://x/acme/p/acct/a" },
        "https://x/acme/p/order/b",
        "bm9uY2U",
        "",
      ),
    ),
  ];
  for (let i = 0; i < 3000; i++) {
    const base = r.pick(valid);
    const input = r.int(10) === 0 ? r.bytes(r.int(200)).toString("latin1") : mutate(r, base);
    try {
      const p = parseJws(input);
      payloadOf(p);
    } catch (e) {
      assert.ok(
        e instanceof AcmeProblem,
        `${replayHint(seed)}: ${String(e)} for ${JSON.stringify(input)}`,
      );
    }
    try {
      publicJwk(JSON.parse(mutate(r, JSON.stringify(key.jwk))));
    } catch (e) {
      assert.ok(
        e instanceof AcmeProblem || e instanceof SyntaxError,
        `${replayHint(seed)}: ${String(e)}`,
      );
    }
  }
});
