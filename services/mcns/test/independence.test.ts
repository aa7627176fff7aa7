// DNS keeps answering (authoritative and cached forwarded names) while MCIAS is unreachable and
// after the database is gone; only the API depends on them.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { freeTcpUdpPort as freeDnsPort } from "@metacircular/testkit";
import { ApiOps } from "../src/records/api-ops.ts";
import { dig } from "./helpers/dig.ts";
import { ADMIN, loadTestZone, startTestMcns, type TestMcns } from "./helpers/mcns.ts";
import { client } from "./helpers/tokens.ts";

let h: TestMcns;
let upstream: TestMcns;

before(async () => {
  upstream = await startTestMcns({}, { noApi: true });
  new ApiOps(upstream.store).createZone(ADMIN, { name: "example.net" });
  new ApiOps(upstream.store).createRecord(ADMIN, "example.net", {
    name: "www",
    type: "A",
    value: "192.0.2.80",
  });
  const deadMcias = await freeDnsPort(); // nothing listens there
  h = await startTestMcns({
    mcias: { server_url: `http://127.0.0.1:${deadMcias}`, service_name: "mcns" },
    forwarding: { enabled: true, upstreams: [`127.0.0.1:${upstream.dnsPort}`], timeout_ms: 5000 },
  });
  loadTestZone(h);
});
after(async () => {
  await h.stop();
  await upstream.stop();
});

test("MCIAS down: the API refuses with 503, DNS answers", async () => {
  const r = await client(h.api!.url, "some-token")("GET", "/v1/zones");
  assert.equal(r.status, 503);
  assert.equal(r.json.error.code, "unavailable");
  const d = await dig(h.dnsPort, "mcq.svc.mcp.metacircular.net", "A");
  assert.deepEqual(
    d.answer.map((a) => a.data),
    ["100.95.252.120"],
  );
  const f = await dig(h.dnsPort, "www.example.net", "A", ["+rec"]);
  assert.deepEqual(
    f.answer.map((a) => a.data),
    ["192.0.2.80"],
  );
});

test("database gone and upstream gone: DNS still serves from memory and cache", async () => {
  h.db.close();
  await upstream.stop();
  for (const tcp of [[], ["+tcp"]]) {
    const d = await dig(h.dnsPort, "www.svc.mcp.metacircular.net", "A", tcp);
    assert.equal(d.answer.at(-1)?.data, "100.95.252.120");
    const f = await dig(h.dnsPort, "www.example.net", "A", ["+rec", ...tcp]);
    assert.deepEqual(
      f.answer.map((a) => a.data),
      ["192.0.2.80"],
    );
  }
  // Writes fail cleanly instead of taking DNS down.
  assert.throws(() =>
    new ApiOps(h.store).createRecord(ADMIN, "svc.mcp.metacircular.net", {
      name: "n",
      type: "A",
      value: "10.0.0.1",
    }),
  );
  const again = await dig(h.dnsPort, "mcq.svc.mcp.metacircular.net", "AAAA");
  assert.deepEqual(
    again.answer.map((a) => a.data),
    ["2001:db8::120"],
  );
});
