// Query logging is off by default and, when enabled, writes one line per query.

import assert from "node:assert/strict";
import { test } from "node:test";
import { captureLogs } from "@metacircular/mcdsl/log";
import { dig } from "./helpers/dig.ts";
import { loadTestZone, startTestMcns } from "./helpers/mcns.ts";

for (const enabled of [false, true]) {
  test(`query_log = ${enabled}`, async () => {
    const logs = captureLogs("mcns", "info");
    const h = await startTestMcns(
      { dns: { query_log: enabled } },
      { noApi: true, logger: logs.logger },
    );
    try {
      loadTestZone(h);
      await dig(h.dnsPort, "MCQ.svc.mcp.metacircular.net", "AAAA");
      await dig(h.dnsPort, "nope.svc.mcp.metacircular.net", "A", ["+tcp"]);
      await dig(h.dnsPort, "mcq.svc.mcp.metacircular.net", "AAAA"); // pre-encoded answer path
      const q = logs.records().filter((r) => r.msg === "query");
      if (!enabled) assert.equal(q.length, 0);
      else
        assert.deepEqual(
          q.map((r) => [r.qname, r.qtype, r.rcode, r.transport]),
          [
            ["MCQ.svc.mcp.metacircular.net.", 28, 0, "udp"],
            ["nope.svc.mcp.metacircular.net.", 1, 3, "tcp"],
            ["mcq.svc.mcp.metacircular.net.", 28, 0, "udp"],
          ],
        );
    } finally {
      await h.stop();
    }
  });
}
