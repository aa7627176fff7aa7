// Seeded fuzz of every parser of network input: manifests, digests, /v2 paths, token scopes and
// ranges. Inputs are mutations of valid samples plus random bytes; each parser must answer with
// its result or its spec error (400), never anything else. MC_FUZZ_SEED replays a run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { parseScope } from "../src/auth/scope.ts";
import { parseContentRange, parseRange } from "../src/distribution/range.ts";
import { parseV2Path } from "../src/distribution/routes.ts";
import { tryParseDigest } from "../src/oci/digest.ts";
import { OciError } from "../src/oci/errors.ts";
import { parseManifest } from "../src/oci/manifest.ts";
import { MANIFEST_TYPES } from "../src/oci/media-types.ts";

const seed = fuzzSeed();
const R = rng(seed);
const hint = replayHint(seed);
const D = `sha256:${"ab".repeat(32)}`;

const SAMPLES = [
  {
    schemaVersion: 2,
    mediaType: MANIFEST_TYPES[0],
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: D, size: 7 },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: D, size: 32654 }],
  },
  {
    schemaVersion: 2,
    mediaType: MANIFEST_TYPES[1],
    manifests: [
      {
        mediaType: MANIFEST_TYPES[0],
        digest: D,
        size: 500,
        platform: { architecture: "arm64", os: "linux" },
      },
    ],
  },
  {
    schemaVersion: 2,
    mediaType: MANIFEST_TYPES[2],
    config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: D, size: 1 },
    layers: [],
  },
  {
    schemaVersion: 2,
    mediaType: MANIFEST_TYPES[0],
    artifactType: "application/x.sig",
    config: { mediaType: "application/vnd.oci.empty.v1+json", digest: D, size: 2 },
    layers: [],
    subject: { mediaType: MANIFEST_TYPES[0], digest: D, size: 9 },
    annotations: { a: "b" },
  },
].map((m) => JSON.stringify(m));

const ALPHABET = ' {}[]":,0123456789abcdefsha256:-.+_/\\\u00e9\ud800nulltrue';

function mutate(s: string): string {
  let out = s;
  for (let i = 0, n = 1 + R.int(4); i < n; i++) {
    const at = R.int(out.length + 1);
    switch (R.int(4)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + R.int(8));
        break;
      case 1:
        out = out.slice(0, at) + R.pick([...ALPHABET]) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + out.slice(R.int(out.length));
        break;
      default:
        out = out.replace(
          R.pick(["2", "sha256", "mediaType", "size", "[", '"linux"', "7"]),
          R.pick(["-1", "1e999", "null", "{}", '""', "sha512", "[]"]),
        );
    }
  }
  return out;
}

function onlySpecErrors(f: () => unknown, what: string, input: string) {
  try {
    f();
  } catch (err) {
    assert.ok(
      err instanceof OciError,
      `${what} threw ${String(err)} for ${JSON.stringify(input)} (${hint})`,
    );
    assert.equal(err.status, 400, `${what}: ${err.status} for ${JSON.stringify(input)} (${hint})`);
  }
}

test("manifest parser: valid samples parse, mutations answer 400 MANIFEST_INVALID or parse", () => {
  for (const s of SAMPLES) parseManifest(Buffer.from(s), undefined);
  for (let i = 0; i < 4000; i++) {
    const input = i % 10 === 0 ? R.bytes(R.int(200)).toString("latin1") : mutate(R.pick(SAMPLES));
    const type = R.pick([undefined, "application/json", ...MANIFEST_TYPES]);
    onlySpecErrors(
      () => parseManifest(Buffer.from(input, i % 10 === 0 ? "latin1" : "utf8"), type),
      "parseManifest",
      input,
    );
  }
});

test("digest parser: accepts exactly canonical sha256/sha512 and never throws", () => {
  for (let i = 0; i < 5000; i++) {
    const input = mutate(R.pick([D, `sha512:${"0f".repeat(64)}`, "sha256:", "md5:abc"]));
    const d = tryParseDigest(input);
    if (typeof d !== "string") {
      assert.equal(d.text, input, hint);
      assert.match(input, /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/, hint);
    }
  }
});

test("/v2 path parser: a route, undefined or 400 NAME_INVALID", () => {
  const paths = [
    "/v2/",
    "/v2/a/b/c/manifests/latest",
    `/v2/x/blobs/${D}`,
    "/v2/x/blobs/uploads/",
    "/v2/n/tags/list",
    `/v2/r/referrers/${D}`,
    "/v2/_catalog",
    "/v2/token",
  ];
  for (let i = 0; i < 5000; i++) {
    const input = mutate(R.pick(paths));
    onlySpecErrors(
      () => {
        const r = parseV2Path(input);
        if (r && "name" in r) assert.match(r.name, /^[a-z0-9]/, hint);
      },
      "parseV2Path",
      input,
    );
  }
});

test("scope and range parsers stay in bounds", () => {
  for (let i = 0; i < 5000; i++) {
    const scope = mutate(
      R.pick(["repository:a/b:pull,push", "registry:catalog:*", "repository:host:5000/x:delete"]),
    );
    const s = parseScope(scope);
    if (s?.type === "repository") assert.ok(s.actions.length > 0 && s.name.length > 0, hint);
    const size = R.int(10_000);
    const range = mutate(R.pick(["bytes=0-99", "bytes=-5", "bytes=100-", "bytes=5-1"]));
    const r = parseRange(range, size);
    if (r.kind === "partial")
      assert.ok(
        r.start >= 0 && r.start <= r.end && r.end < size,
        `${range} over ${size} (${hint})`,
      );
    const cr = parseContentRange(mutate("0-1023"));
    if (cr) assert.ok(cr.start <= cr.end, hint);
  }
});
