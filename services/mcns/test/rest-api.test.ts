// REST API semantics: zones and records CRUD, invariants with stable error codes, SOA serial
// bumps, zone file import/export, audit log, metrics, and access-map completeness.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { missingRoutes } from "@metacircular/mcdsl/http";
import { silentLogger } from "@metacircular/mcdsl/log";
import { ApiOps } from "../src/records/api-ops.ts";
import { restAccess } from "../src/server/access.ts";
import { buildRestApp } from "../src/server/routes.ts";
import { dig } from "./helpers/dig.ts";
import { ADMIN, startTestMcns, type TestMcns, ZONE_FILE } from "./helpers/mcns.ts";
import { client, staticValidator } from "./helpers/tokens.ts";

let h: TestMcns;
let admin: ReturnType<typeof client>;
const Z = "svc.mcp.metacircular.net";

before(async () => {
  h = await startTestMcns({}, { validator: staticValidator });
  admin = client(h.api!.url, "tok-admin");
});
after(() => h.stop());

const serial = async () => (await admin("GET", `/v1/zones/${Z}`)).json.serial as number;

test("every REST route is declared in the access map", () => {
  const app = buildRestApp({
    ops: new ApiOps(h.store),
    validator: staticValidator,
    logger: silentLogger(),
    version: "t",
    metrics: async () => ({ contentType: "text/plain", body: "" }),
  });
  assert.deepEqual(missingRoutes(app, restAccess), []);
});

test("zones: create, read, update (serial bumps), conflicts", async () => {
  const c = await admin("POST", "/v1/zones", { name: Z, admin_email: "ops@metacircular.net" });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.name, Z);
  assert.equal(c.json.admin_email, "ops.metacircular.net.");
  assert.equal((await admin("POST", "/v1/zones", { name: Z })).json.error.code, "zone_exists");
  assert.equal(
    (await admin("POST", "/v1/zones", { name: "bad..zone" })).json.error.code,
    "bad_zone_name",
  );
  const s0 = c.json.serial as number;
  const u = await admin("PUT", `/v1/zones/${Z}`, { minimum: 60 });
  assert.equal(u.status, 200);
  assert.equal(u.json.minimum, 60);
  assert.ok(u.json.serial > s0);
  assert.equal((await admin("GET", "/v1/zones/unknown.example")).json.error.code, "zone_not_found");
  const list = await admin("GET", "/v1/zones");
  assert.deepEqual(
    list.json.zones.map((z: { name: string }) => z.name),
    [Z],
  );
});

test("records: CRUD with serial bumps and immediate DNS visibility", async () => {
  const s0 = await serial();
  const c = await admin("POST", `/v1/zones/${Z}/records`, {
    name: "mcq",
    type: "A",
    ttl: 120,
    value: "10.0.0.9",
  });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.fqdn, `mcq.${Z}.`);
  assert.equal(c.json.name, "mcq");
  const s1 = await serial();
  assert.ok(s1 > s0, "create bumps the serial");
  let d = await dig(h.dnsPort, `mcq.${Z}`, "A");
  assert.deepEqual(
    d.answer.map((a) => a.data),
    ["10.0.0.9"],
  );
  const soa = await dig(h.dnsPort, Z, "SOA");
  assert.equal(Number(soa.answer[0]!.data.split(" ")[2]), s1, "DNS serves the new serial");

  const u = await admin("PUT", `/v1/zones/${Z}/records/${c.json.id}`, {
    name: "mcq",
    type: "A",
    value: "10.0.0.10",
  });
  assert.equal(u.status, 200);
  assert.equal(u.json.ttl, 300, "default TTL");
  d = await dig(h.dnsPort, `mcq.${Z}`, "A");
  assert.deepEqual(
    d.answer.map((a) => a.data),
    ["10.0.0.10"],
  );
  assert.ok((await serial()) > s1);

  const g = await admin("GET", `/v1/zones/${Z}/records/${c.json.id}`);
  assert.equal(g.json.value, "10.0.0.10");
  const l = await admin("GET", `/v1/zones/${Z}/records?name=mcq&type=A`);
  assert.equal(l.json.records.length, 1);

  assert.equal((await admin("DELETE", `/v1/zones/${Z}/records/${c.json.id}`)).status, 204);
  d = await dig(h.dnsPort, `mcq.${Z}`, "A");
  assert.equal(d.status, "NXDOMAIN");
  assert.equal(
    (await admin("GET", `/v1/zones/${Z}/records/${c.json.id}`)).json.error.code,
    "record_not_found",
  );
  assert.equal((await admin("GET", `/v1/zones/${Z}/records/abc`)).json.error.code, "bad_record_id");
});

test("invariants are enforced with clear error codes", async () => {
  const post = (body: unknown) => admin("POST", `/v1/zones/${Z}/records`, body);
  assert.equal((await post({ name: "alias", type: "CNAME", value: "web" })).status, 201);
  const e1 = await post({ name: "alias", type: "A", value: "10.0.0.1" });
  assert.equal(e1.status, 409);
  assert.equal(e1.json.error.code, "cname_conflict");
  assert.equal(
    (await post({ name: "alias", type: "CNAME", value: "other" })).json.error.code,
    "cname_conflict",
  );
  assert.equal((await post({ name: "host", type: "A", value: "10.0.0.1" })).status, 201);
  assert.equal(
    (await post({ name: "host", type: "CNAME", value: "web" })).json.error.code,
    "cname_conflict",
  );
  assert.equal(
    (await post({ name: "host", type: "A", value: "10.0.0.1" })).json.error.code,
    "record_exists",
  );
  assert.equal(
    (await post({ name: "@", type: "CNAME", value: "web" })).json.error.code,
    "cname_at_apex",
  );
  assert.equal(
    (await post({ name: "x.example.org.", type: "A", value: "10.0.0.1" })).json.error.code,
    "name_outside_zone",
  );
  assert.equal(
    (await post({ name: "a.*.b", type: "A", value: "10.0.0.1" })).json.error.code,
    "bad_name",
  );
  assert.equal(
    (await post({ name: "h", type: "A", value: "10.0.0.256" })).json.error.code,
    "bad_rdata",
  );
  assert.equal(
    (await post({ name: "h", type: "AAAA", value: "10.0.0.1" })).json.error.code,
    "bad_rdata",
  );
  assert.equal((await post({ name: "h", type: "MX", value: "mail" })).json.error.code, "bad_rdata");
  assert.equal(
    (await post({ name: "h", type: "SOA", value: "a b 1 2 3 4 5" })).json.error.code,
    "bad_type",
  );
  assert.equal((await post({ name: "h", type: "BOGUS", value: "x" })).json.error.code, "bad_type");
  assert.equal(
    (await post({ name: "h", type: "A", ttl: -1, value: "10.0.0.1" })).json.error.code,
    "bad_ttl",
  );
  assert.equal((await post({ name: "h", type: "A" })).json.error.code, "invalid_request");
  const bad = await fetch(`${h.api!.url}/v1/zones/${Z}/records`, {
    method: "POST",
    headers: { Authorization: "Bearer tok-admin", "Content-Type": "application/json" },
    body: "{",
  });
  assert.equal(bad.status, 400);
});

test("zone file import and export round-trip (RFC 1035 master format)", async () => {
  const imp = await admin("POST", `/v1/zones/${Z}/import`, ZONE_FILE);
  assert.equal(imp.status, 200, imp.text);
  assert.ok(imp.json.imported > 20);
  const exp = await admin("GET", `/v1/zones/${Z}/export`);
  assert.equal(exp.status, 200);
  assert.match(exp.text, /^\$ORIGIN svc\.mcp\.metacircular\.net\.$/m);
  assert.match(exp.text, /mcq\.svc\.mcp\.metacircular\.net\.\t300\tIN\tAAAA\t2001:db8::120/);
  // Re-importing the export yields the same records.
  const before = (await admin("GET", `/v1/zones/${Z}/records`)).json.records
    .map((r: Record<string, unknown>) => `${r.fqdn} ${r.type} ${r.value}`)
    .sort();
  assert.equal((await admin("POST", `/v1/zones/${Z}/import`, exp.text)).status, 200);
  const afterImport = (await admin("GET", `/v1/zones/${Z}/records`)).json.records
    .map((r: Record<string, unknown>) => `${r.fqdn} ${r.type} ${r.value}`)
    .sort();
  assert.deepEqual(afterImport, before);
  const broken = await admin("POST", `/v1/zones/${Z}/import`, "www IN A not-an-ip\n");
  assert.equal(broken.status, 400);
  assert.equal(broken.json.error.code, "bad_rdata");
  assert.match(broken.json.error.message, /line 1/);
});

test("the audit page size is 1-1000: a negative or zero limit means the default 100", async () => {
  // Over 100 entries, so an unbounded answer shows (SQLite reads LIMIT -1 as "no limit").
  const ops = new ApiOps(h.store);
  const zone = "audit-limit.example";
  ops.createZone(ADMIN, { name: zone });
  for (let i = 0; i < 101; i++)
    ops.createRecord(ADMIN, zone, { name: `h${i}`, type: "A", value: "10.1.0.1" });
  for (const [query, want] of [
    ["limit=-1", 100],
    ["limit=0", 100],
    ["limit=abc", 100],
    ["limit=5", 5],
    ["", 100],
  ] as const) {
    const r = await admin("GET", `/v1/audit${query ? `?${query}` : ""}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.entries.length, want, query);
  }
  assert.equal((await admin("DELETE", `/v1/zones/${zone}`)).status, 204);
});

test("audit log records who changed what; metrics are exported", async () => {
  const a = await admin("GET", "/v1/audit?limit=500");
  const actions = new Set(a.json.entries.map((e: { action: string }) => e.action));
  for (const k of [
    "zone.create",
    "zone.update",
    "record.create",
    "record.update",
    "record.delete",
    "zone.import",
  ])
    assert.ok(actions.has(k), k);
  assert.equal(a.json.entries[0].actor, "human:root");
  const m = await fetch(`${h.api!.url}/metrics`);
  const text = await m.text();
  assert.match(text, /mcns_dns_queries_total\{qtype="A",rcode="NOERROR"\} \d+/);
  assert.match(text, /mcns_answer_cache_hits/);
});
