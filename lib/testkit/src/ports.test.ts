import assert from "node:assert/strict";
import { test } from "node:test";
import { bindable, ephemeralLow, freePort, freeTcpUdpPort } from "./ports.ts";

test("free ports come from below the kernel's ephemeral range and bind when handed out", async () => {
  for (const host of ["127.0.0.1", "::1"]) {
    const tcp = await freePort(host);
    assert.ok(tcp >= 20_000 && tcp < ephemeralLow(), `${host}: ${tcp}`);
    assert.equal(await bindable(tcp, false, host), true);
  }
  const both = await freeTcpUdpPort();
  assert.ok(both < ephemeralLow(), String(both));
  assert.equal(await bindable(both, false), true);
  assert.equal(await bindable(both, true), true);
});
