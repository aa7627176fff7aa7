// Listening on IPv6 loopback: UDP and TCP answers.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";
import { loadTestZone, startTestMcns } from "./helpers/mcns.ts";

const run = promisify(execFile);

test("dig over [::1] on UDP and TCP", async () => {
  const h = await startTestMcns({ dns: { listen_addr: "[::1]:0" } }, { noApi: true });
  try {
    loadTestZone(h);
    const q = async (...extra: string[]) =>
      (
        await run("dig", [
          "@::1",
          "-p",
          String(h.dnsPort),
          "mcq.svc.mcp.metacircular.net",
          "AAAA",
          "+short",
          "+time=10",
          "+tries=1",
          ...extra,
        ])
      ).stdout.trim();
    assert.equal(await q(), "2001:db8::120");
    assert.equal(await q("+tcp"), "2001:db8::120");
  } finally {
    await h.stop();
  }
});
