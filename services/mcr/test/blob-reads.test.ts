// Blob downloads through both read paths ([storage] blob_reads "pooled" and "stream"): whole
// blobs and ranges that start, end and cross the 1 MiB read-buffer boundaries, concurrent
// downloads of different blobs (a buffer handed back to the pool too early would mix their
// bytes), and a client that drops a download halfway followed by more downloads.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { after, before, describe, test } from "node:test";
import { type MciasInstance, startMcias } from "@metacircular/testkit";
import { sha256 } from "./helpers/images.ts";
import { startTestMcr, type TestMcr } from "./helpers/mcr.ts";
import { pushBlob, RegistryClient } from "./helpers/registry-client.ts";

const MIB = 1 << 20;
const repo = "reads/blobs";
let mcias: MciasInstance;
before(async () => {
  mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
});
after(() => mcias?.stop());

/** Starts reading a download and drops the connection after the first bytes arrive. */
function abandonDownload(mcr: TestMcr, ca: string, tok: string, digest: string): Promise<void> {
  return new Promise((resolve) => {
    const r = request(new URL(`/v2/${repo}/blobs/${digest}`, mcr.url), {
      ca,
      headers: { Authorization: `Bearer ${tok}` },
    });
    r.on("response", (res) => res.once("data", () => r.destroy()));
    r.on("close", () => resolve());
    r.on("error", () => undefined);
    r.end();
  });
}

for (const mode of ["pooled", "stream"] as const) {
  describe(`blob_reads = ${mode}`, () => {
    let mcr: TestMcr;
    let c: RegistryClient;
    let ca: string;
    let tok: string;
    const big = randomBytes(3 * MIB + 12_345);
    const other = randomBytes(2 * MIB);
    const get = (digest: string, range?: string) =>
      c.req("GET", `/v2/${repo}/blobs/${digest}`, {
        token: tok,
        ...(range ? { headers: { Range: range } } : {}),
      });

    before(async () => {
      mcr = await startTestMcr(mcias, { blobReads: mode });
      ca = readFileSync(mcr.caCertPath, "utf8");
      c = new RegistryClient(mcr.url, ca);
      tok = await c.token(mcias.adminUsername, mcias.adminPassword, [
        `repository:${repo}:pull,push`,
      ]);
      for (const b of [big, other])
        assert.equal((await pushBlob(c, tok, repo, b, sha256(b))).status, 201);
    });
    after(() => mcr?.stop());

    test("whole blobs and ranges around the read-buffer boundaries", async () => {
      const whole = await get(sha256(big));
      assert.equal(whole.status, 200);
      assert.ok(whole.body.equals(big));
      const spans: Array<[number, number]> = [
        [0, MIB - 1],
        [MIB - 10, MIB + 9],
        [MIB, 2 * MIB - 1],
        [5, 3 * MIB + 100],
        [3 * MIB, big.length - 1],
      ];
      for (const [a, b] of spans) {
        const r = await get(sha256(big), `bytes=${a}-${b}`);
        assert.equal(r.status, 206);
        assert.equal(r.header("content-range"), `bytes ${a}-${b}/${big.length}`);
        assert.ok(r.body.equals(big.subarray(a, b + 1)), `bytes ${a}-${b}`);
      }
      const tail = await get(sha256(big), "bytes=-1500000");
      assert.ok(tail.body.equals(big.subarray(big.length - 1_500_000)));
      const open = await get(sha256(big), `bytes=${2 * MIB + 1}-`);
      assert.ok(open.body.equals(big.subarray(2 * MIB + 1)));
    });

    test("concurrent downloads of different blobs keep their own bytes", async () => {
      const blobs = [big, other, big, other, big, other];
      const got = await Promise.all(blobs.map((b) => get(sha256(b))));
      for (const [i, r] of got.entries()) assert.ok(r.body.equals(blobs[i]!), `download ${i}`);
    });

    test("a download dropped halfway leaves later downloads intact", async () => {
      await Promise.all([
        abandonDownload(mcr, ca, tok, sha256(big)),
        abandonDownload(mcr, ca, tok, sha256(other)),
      ]);
      const again = await Promise.all([get(sha256(other)), get(sha256(big))]);
      assert.ok(again[0]!.body.equals(other));
      assert.ok(again[1]!.body.equals(big));
    });
  });
}
