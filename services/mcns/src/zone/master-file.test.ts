import assert from "node:assert/strict";
import { test } from "node:test";
import { RR } from "../dns/constants.ts";
import { DnsFormatError } from "../dns/errors.ts";
import { exportMasterFile, parseMasterFile } from "./master-file.ts";
import { Zone } from "./zone.ts";

const TEXT = `$ORIGIN example.net.
$TTL 1h
@   IN  SOA ns1 hostmaster (
            2026010101 ; serial
            3600 600 1209600 300 )
    IN  NS  ns1            ; blank owner = previous owner
ns1 300 IN A 192.0.2.1
www IN 60 A 192.0.2.2
txt TXT "semi;colon" "paren(s)"
$ORIGIN sub.example.net.
host 2m AAAA 2001:db8::5
`;

test("parses directives, parentheses, comments, blank owners and TTL units", () => {
  const p = parseMasterFile(TEXT, "example.net.");
  assert.equal(p.soa?.serial, 2026010101);
  assert.equal(p.soa?.primary_ns, "ns1.example.net.");
  assert.equal(p.soa?.ttl, 3600);
  assert.deepEqual(
    p.records.map((r) => [r.name, r.type, r.ttl, r.value]),
    [
      ["example.net.", RR.NS, 3600, "ns1.example.net."],
      ["ns1.example.net.", RR.A, 300, "192.0.2.1"],
      ["www.example.net.", RR.A, 60, "192.0.2.2"],
      ["txt.example.net.", RR.TXT, 3600, '"semi;colon" "paren(s)"'],
      ["host.sub.example.net.", RR.AAAA, 120, "2001:db8::5"],
    ],
  );
});

test("export then parse gives the same records", () => {
  const p = parseMasterFile(TEXT, "example.net.");
  const s = p.soa!;
  const z = new Zone(
    "example.net.",
    {
      primaryNs: s.primary_ns,
      adminEmail: s.admin_email,
      serial: s.serial,
      refresh: s.refresh,
      retry: s.retry,
      expire: s.expire,
      minimum: s.minimum,
      ttl: s.ttl,
    },
    p.records,
  );
  const again = parseMasterFile(exportMasterFile(z), "example.net.");
  const key = (r: { name: string; type: number; value: string }) =>
    `${r.name} ${r.type} ${r.value}`;
  assert.deepEqual(again.records.map(key).sort(), p.records.map(key).sort());
  assert.equal(again.soa?.serial, s.serial);
});

test("errors name the line", () => {
  assert.throws(
    () => parseMasterFile("www IN A 1.2.3\n", "example.net."),
    (e: unknown) => e instanceof DnsFormatError && /line 1/.test(e.message),
  );
  assert.throws(() => parseMasterFile("ok A 1.2.3.4\nbad IN BOGUS x\n", "example.net."), /line 2/);
  assert.throws(() => parseMasterFile("x CH A 1.2.3.4\n", "example.net."), /class IN/);
  assert.throws(() => parseMasterFile("@ SOA a b (1 2 3 4 5\n", "example.net."), /parentheses/);
});
