// Real DNS clients (dig, kdig, Node's resolver) against a real mcns over UDP and TCP.

import assert from "node:assert/strict";
import { Resolver } from "node:dns/promises";
import { after, before, describe, test } from "node:test";
import { dig, kdig } from "./helpers/dig.ts";
import { loadTestZone, startTestMcns, type TestMcns } from "./helpers/mcns.ts";

let h: TestMcns;
const Z = "svc.mcp.metacircular.net.";

before(async () => {
  h = await startTestMcns({}, { noApi: true });
  loadTestZone(h);
});
after(() => h.stop());

const expectations: Array<[string, string, string[]]> = [
  ["mcq", "A", ["100.95.252.120"]],
  ["mcq", "AAAA", ["2001:db8::120"]],
  ["@", "NS", [`ns1.${Z}`, `ns2.${Z}`]],
  ["@", "MX", [`10 mail.${Z}`]],
  ["@", "TXT", ['"v=spf1 -all" "second string"']],
  ["@", "CAA", ['0 issue "letsencrypt.org"']],
  ["_https._tcp", "SRV", [`10 5 443 mcq.${Z}`]],
  ["120", "PTR", [`mcq.${Z}`]],
  ["@", "SOA", [`ns1.${Z} hostmaster.${Z} 2026010101 3600 600 1209600 300`]],
  ["private", "TYPE65400", ["\\# 4 DEADBEEF"]],
];

const fq = (n: string) => (n === "@" ? Z : `${n}.${Z}`);

for (const tool of ["dig", "kdig"] as const) {
  for (const tcp of [false, true]) {
    describe(`${tool} over ${tcp ? "TCP" : "UDP"}`, () => {
      const q = (name: string, type: string, extra: string[] = []) =>
        (tool === "dig" ? dig : kdig)(h.dnsPort, name, type, [...(tcp ? ["+tcp"] : []), ...extra]);

      test("every record type answers authoritatively", async () => {
        for (const [name, type, want] of expectations) {
          const r = await q(fq(name), type);
          assert.equal(r.status, "NOERROR", `${name} ${type}`);
          assert.ok(r.flags.includes("aa"), `${name} ${type} has AA`);
          const got = r.answer.filter((a) => a.type === type).map((a) => a.data);
          if (type === "SOA") {
            // The serial moved on with the import; compare the other fields.
            assert.equal(got.length, 1);
            assert.match(
              got[0]!,
              /^ns1\.svc\.mcp\.metacircular\.net\. hostmaster\.svc\.mcp\.metacircular\.net\. \d+ 3600 600 1209600 300$/,
            );
          } else assert.deepEqual(got.sort(), [...want].sort(), `${name} ${type}`);
        }
      });

      test("NXDOMAIN and NODATA carry the SOA in authority", async () => {
        const nx = await q(fq("nope"), "A");
        assert.equal(nx.status, "NXDOMAIN");
        assert.equal(nx.answer.length, 0);
        assert.equal(nx.authority[0]?.type, "SOA");
        assert.equal(nx.authority[0]?.ttl, 300);
        const nodata = await q(fq("mcq"), "MX");
        assert.equal(nodata.status, "NOERROR");
        assert.equal(nodata.answer.length, 0);
        assert.equal(nodata.authority[0]?.type, "SOA");
        const ent = await q(fq("ent.x"), "A");
        assert.equal(ent.status, "NOERROR", "empty non-terminal is NODATA");
        assert.equal(ent.authority[0]?.type, "SOA");
      });

      test("wildcards synthesise records at the query name", async () => {
        const r = await q(fq("anything.apps"), "A");
        assert.equal(r.status, "NOERROR");
        assert.deepEqual(
          r.answer.map((a) => [a.name, a.data]),
          [[fq("anything.apps"), "10.0.9.9"]],
        );
        const t = await q(fq("x.y.apps"), "TXT");
        assert.deepEqual(
          t.answer.map((a) => a.data),
          ['"wildcard"'],
        );
        const nodata = await q(fq("z.apps"), "MX");
        assert.equal(nodata.status, "NOERROR");
        assert.equal(nodata.authority[0]?.type, "SOA");
      });

      test("CNAME chains are followed inside the zone", async () => {
        const r = await q(fq("www"), "A");
        assert.deepEqual(
          r.answer.map((a) => `${a.name} ${a.type} ${a.data}`),
          [
            `${fq("www")} CNAME ${fq("web")}`,
            `${fq("web")} CNAME ${fq("mcq")}`,
            `${fq("mcq")} A 100.95.252.120`,
          ],
        );
        const out = await q(fq("outside"), "A");
        assert.deepEqual(
          out.answer.map((a) => a.data),
          ["example.org."],
        );
      });

      test("delegations are referrals without AA", async () => {
        const r = await q("host.sub.svc.mcp.metacircular.net.", "A");
        assert.equal(r.status, "NOERROR");
        assert.ok(!r.flags.includes("aa"));
        assert.deepEqual(
          r.authority.map((a) => `${a.type} ${a.data}`),
          [`NS ns.sub.${Z}`],
        );
        assert.deepEqual(
          r.additional.map((a) => a.data),
          ["10.0.0.53"],
        );
      });

      test("names outside our zones are REFUSED when forwarding is off", async () => {
        const r = await q("example.org.", "A");
        assert.equal(r.status, "REFUSED");
      });
    });
  }
}

test("truncation at 512 octets without EDNS, then TCP fallback", async () => {
  const udp = await dig(h.dnsPort, fq("big"), "TXT", ["+noedns", "+ignore"]);
  assert.ok(udp.flags.includes("tc"), "TC set");
  assert.equal(udp.answer.length, 0);
  const fallback = await dig(h.dnsPort, fq("big"), "TXT", ["+noedns"]);
  assert.ok(!fallback.flags.includes("tc"));
  assert.equal(fallback.answer.length, 2, "dig retried over TCP and got both records");
});

test("EDNS buffer sizes decide truncation", async () => {
  const small = await dig(h.dnsPort, fq("big"), "TXT", ["+bufsize=512", "+ignore"]);
  assert.ok(small.flags.includes("tc"));
  const large = await dig(h.dnsPort, fq("big"), "TXT", ["+bufsize=1232", "+ignore"]);
  assert.ok(!large.flags.includes("tc"));
  assert.equal(large.answer.length, 2);
  const edns = await dig(h.dnsPort, fq("mcq"), "A", ["+bufsize=4096"]);
  assert.match(edns.raw, /udp: 1232/, "server advertises its own maximum");
  const badvers = await dig(h.dnsPort, fq("mcq"), "A", ["+edns=1", "+noednsneg"]);
  assert.equal(badvers.status, "BADVERS");
});

test("Node's resolver gets the same answers", async () => {
  const r = new Resolver({ timeout: 2000, tries: 1 });
  r.setServers([`127.0.0.1:${h.dnsPort}`]);
  assert.deepEqual(await r.resolve4(fq("mcq").slice(0, -1)), ["100.95.252.120"]);
  assert.deepEqual(await r.resolve6(fq("mcq").slice(0, -1)), ["2001:db8::120"]);
  assert.deepEqual(await r.resolveMx(Z.slice(0, -1)), [
    { exchange: `mail.${Z.slice(0, -1)}`, priority: 10 },
  ]);
  assert.deepEqual(await r.resolveTxt(Z.slice(0, -1)), [["v=spf1 -all", "second string"]]);
  const srv = await r.resolveSrv(fq("_https._tcp").slice(0, -1));
  assert.deepEqual(srv, [{ name: fq("mcq").slice(0, -1), port: 443, priority: 10, weight: 5 }]);
  assert.deepEqual(await r.resolveCname(fq("www").slice(0, -1)), [fq("web").slice(0, -1)]);
  assert.deepEqual((await r.resolveCaa(Z.slice(0, -1)))[0], {
    critical: 0,
    issue: "letsencrypt.org",
  });
  assert.deepEqual(await r.resolveNs(Z.slice(0, -1)), [
    `ns1.${Z.slice(0, -1)}`,
    `ns2.${Z.slice(0, -1)}`,
  ]);
  assert.deepEqual(await r.resolvePtr(fq("120").slice(0, -1)), [fq("mcq").slice(0, -1)]);
  const soa = await r.resolveSoa(Z.slice(0, -1));
  assert.equal(soa.nsname, `ns1.${Z.slice(0, -1)}`);
  await assert.rejects(r.resolve4(fq("nope").slice(0, -1)), { code: "ENOTFOUND" });
  await assert.rejects(r.resolveMx(fq("mcq").slice(0, -1)), { code: "ENODATA" });
});
