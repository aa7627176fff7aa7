// Seeded fuzz of the definition loader (MC_FUZZ_SEED replays): mutated definitions either load
// into a definition whose images are all pinned, or are refused with a ConfigError that names
// the file; nothing else is thrown.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "@metacircular/mcdsl/config";
import { fuzzSeed, type Rng, replayHint, rng } from "@metacircular/testkit";
import { parseImageRef } from "./image-ref.ts";
import { parseServiceDef } from "./load.ts";

const BASE = [
  'name = "svc"',
  'node = "rift"',
  'tier = "core"',
  "[build.images]",
  'svc = "Containerfile"',
  "[[components]]",
  'name = "api"',
  'image = "mcr.example.net:8443/team/svc:v2.1.0"',
  'env = ["A=1"]',
  'volumes = ["/srv/svc:/srv/svc"]',
  'restart = "always"',
  "[[components.routes]]",
  "port = 8443",
  'mode = "l7"',
  "[[components.routes]]",
  'name = "grpc"',
  "port = 9443",
  'mode = "l4"',
  "public = true",
];

const PIECES = [
  ":latest",
  "l4",
  "l7",
  "=",
  '"',
  "[",
  "]",
  "[[components]]",
  "[[components.routes]]",
  "public",
  "port = 0",
  'image = "x"',
  'name = "a"',
  "\n",
  "#",
  "\\u0000",
  "ü",
  "@sha256:",
  "true",
  "1e9",
  "-",
  ".",
  "components",
  "routes",
];

function mutate(r: Rng, lines: string[]): string {
  const out = [...lines];
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) {
    const at = r.int(out.length);
    const line = out[at] ?? "";
    switch (r.int(5)) {
      case 0:
        out.splice(at, 1);
        break;
      case 1:
        out.splice(at, 0, r.pick(out));
        break;
      case 2: {
        const pos = r.int(line.length + 1);
        out[at] = line.slice(0, pos) + r.pick(PIECES) + line.slice(pos);
        break;
      }
      case 3: {
        const pos = r.int(line.length + 1);
        out[at] = line.slice(0, pos) + line.slice(pos + 1 + r.int(4));
        break;
      }
      default:
        out[at] = r.bytes(1 + r.int(12)).toString("latin1");
    }
  }
  return out.join("\n");
}

test("fuzz: the loader accepts pinned definitions or refuses with a ConfigError", () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    const text = mutate(r, BASE);
    try {
      const def = parseServiceDef(text, "fuzz.toml");
      accepted += 1;
      for (const c of def.components) {
        const ref = parseImageRef(c.image);
        assert.ok(ref.ok && ref.ref.tag !== "latest", `${c.image} accepted; ${replayHint(seed)}`);
      }
    } catch (e) {
      assert.ok(e instanceof ConfigError, `case ${i}: ${String(e)}; ${replayHint(seed)}`);
      assert.equal(e.file, "fuzz.toml");
      assert.ok(e.problems.length > 0, replayHint(seed));
    }
  }
  assert.ok(accepted > 0, `no mutation was accepted; ${replayHint(seed)}`);
});
