// TSIG-protected transfers: NSD with the shared key transfers the zone; dig verifies our signed
// AXFR stream; unsigned or wrongly signed requests are refused.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { dig } from "./helpers/dig.ts";
import { loadTestZone, startTestMcns, type TestMcns, ZONE, ZONE_FILE } from "./helpers/mcns.ts";
import { type NsdHandle, startNsd } from "./helpers/nsd.ts";

const run = promisify(execFile);
const KEY = { name: "xfr-key", secret: randomBytes(32).toString("base64") };
let mcns: TestMcns;
let nsd: NsdHandle | undefined;

before(async () => {
  mcns = await startTestMcns(
    {
      transfer: {
        allow: ["127.0.0.1"],
        require_tsig: true,
        tsig_keys: [{ name: KEY.name, secret: KEY.secret }],
      },
    },
    { noApi: true },
  );
  // Enough records for a multi-message transfer, so the chained MACs are exercised too.
  const extra = Array.from(
    { length: 800 },
    (_, i) => `bulk${i} 300 IN A 10.20.${i >> 8}.${i & 255}`,
  );
  loadTestZone(mcns, ZONE, `${ZONE_FILE}${extra.join("\n")}\n`);
});
after(async () => {
  await nsd?.stop();
  await mcns.stop();
});

const axfr = async (key?: string) => {
  const args = [
    "@127.0.0.1",
    "-p",
    String(mcns.dnsPort),
    `${ZONE}.`,
    "AXFR",
    "+time=10",
    "+tries=1",
  ];
  if (key) args.push("-y", key);
  return (await run("dig", args)).stdout;
};

test("dig verifies the signed AXFR stream", async () => {
  const out = await axfr(`hmac-sha256:${KEY.name}:${KEY.secret}`);
  assert.doesNotMatch(out, /failed|tsig verify failure|Transfer failed/i);
  assert.match(out, /mcq\.svc\.mcp\.metacircular\.net\.\s+300\s+IN\s+A\s+100\.95\.252\.120/);
  assert.match(out, /bulk799\.svc\.mcp\.metacircular\.net\.\s+300\s+IN\s+A\s+10\.20\.3\.31/);
  const signatures = out.match(/xfr-key\.\s+0\s+ANY\s+TSIG\s+hmac-sha256\./g) ?? [];
  assert.ok(
    signatures.length >= 2,
    `every message of a multi-message transfer is signed (${signatures.length})`,
  );
});

test("unsigned and wrongly signed transfer requests are refused", async () => {
  assert.match(await axfr(), /Transfer failed/);
  const wrong = await axfr(`hmac-sha256:${KEY.name}:${randomBytes(32).toString("base64")}`);
  assert.match(wrong, /Transfer failed|NOTAUTH|tsig/i);
  assert.doesNotMatch(wrong, /100\.95\.252\.120/);
});

test("NSD transfers the zone with the TSIG key", async () => {
  nsd = await startNsd([{ name: ZONE, primary: `127.0.0.1:${mcns.dnsPort}`, tsig: KEY }]);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const r = await dig(nsd.port, `mcq.${ZONE}.`, "A");
    if (r.answer.length) {
      assert.deepEqual(
        r.answer.map((a) => a.data),
        ["100.95.252.120"],
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`NSD never transferred the zone: ${nsd.log()}`);
});
