import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { writeCountryMmdb } from "../../test/helpers/mmdb-writer.ts";
import { EMPTY_RULES, Firewall, validateNetwork } from "./firewall.ts";
import { KeyedTokenBuckets } from "./token-bucket.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-fw-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("Firewall", () => {
  it("denies addresses and CIDRs, with allow entries exempt", () => {
    const fw = new Firewall({
      ...EMPTY_RULES,
      deny: ["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"],
      allow: ["10.1.1.1"],
    });
    assert.equal(fw.checkConnection("10.2.3.4"), "deny_ip");
    assert.equal(fw.checkConnection("10.1.1.1"), "allow");
    assert.equal(fw.checkConnection("192.0.2.1"), "deny_ip");
    assert.equal(fw.checkConnection("192.0.2.2"), "allow");
    assert.equal(fw.checkConnection("2001:db8::5"), "deny_ip");
    assert.equal(fw.checkConnection("2001:db9::5"), "allow");
  });

  it("blocks countries from a generated MMDB and handles IPv6 against a v4 database", () => {
    const db = join(dir, "geo.mmdb");
    writeCountryMmdb(db, { "198.51.100.0/24": "KP", "203.0.113.0/24": "NZ" });
    const fw = new Firewall({ ...EMPTY_RULES, geoipDb: db, blockedCountries: ["kp"] });
    assert.equal(fw.country("198.51.100.9"), "KP");
    assert.equal(fw.checkConnection("198.51.100.9"), "deny_country");
    assert.equal(fw.checkConnection("203.0.113.9"), "allow");
    assert.equal(fw.checkConnection("::1"), "allow");
  });

  it("rate-limits new connections per IP and can be changed at runtime", () => {
    const fw = new Firewall({ ...EMPTY_RULES, connRate: { rate: 0.001, burst: 3 } });
    const verdicts = Array.from({ length: 5 }, () => fw.checkConnection("192.0.2.7"));
    assert.deepEqual(verdicts, ["allow", "allow", "allow", "rate_limited", "rate_limited"]);
    assert.equal(fw.checkConnection("192.0.2.8"), "allow");
    fw.update({ ...EMPTY_RULES });
    assert.equal(fw.checkConnection("192.0.2.7"), "allow");
  });

  it("applies list changes at once to addresses it has already judged", () => {
    const fw = new Firewall({ ...EMPTY_RULES, deny: ["192.0.2.0/24"] });
    assert.equal(fw.checkConnection("192.0.2.9"), "deny_ip");
    assert.equal(fw.checkConnection("198.51.100.1"), "allow");
    fw.update({ ...EMPTY_RULES, deny: ["198.51.100.0/24"] });
    assert.equal(fw.checkConnection("192.0.2.9"), "allow");
    assert.equal(fw.checkConnection("198.51.100.1"), "deny_ip");
    fw.update({ ...EMPTY_RULES, deny: ["198.51.100.0/24"], allow: ["198.51.100.1"] });
    assert.equal(fw.checkConnection("198.51.100.1"), "allow");
    // Many distinct addresses: the remembered verdicts stay bounded and correct.
    for (let i = 0; i < 5000; i++) {
      const ip = `198.51.100.${i % 256}`;
      assert.equal(fw.checkConnection(ip), i % 256 === 1 ? "allow" : "deny_ip");
      assert.equal(fw.checkConnection(`10.${i >> 8}.${i & 255}.1`), "allow");
    }
  });

  it("exempts allow-listed clients from the request rate", () => {
    const fw = new Firewall({
      ...EMPTY_RULES,
      allow: ["192.0.2.1"],
      requestRate: { rate: 0.001, burst: 2 },
    });
    const limited = Array.from({ length: 3 }, () => fw.checkRequest("192.0.2.2"));
    assert.deepEqual(limited, [true, true, false]);
    assert.ok(Array.from({ length: 5 }, () => fw.checkRequest("192.0.2.1")).every(Boolean));
    fw.update({ ...EMPTY_RULES, requestRate: { rate: 0.001, burst: 2 } });
    assert.equal(fw.checkRequest("192.0.2.1"), true);
    assert.equal(fw.checkRequest("192.0.2.1"), true);
    assert.equal(fw.checkRequest("192.0.2.1"), false);
  });

  it("validates network entries", () => {
    assert.equal(validateNetwork("10.0.0.0/8"), null);
    assert.match(validateNetwork("10.0.0.0/33") ?? "", /prefix/);
    assert.match(validateNetwork("example.com") ?? "", /not an IP/);
    assert.throws(() => new Firewall({ ...EMPTY_RULES, deny: ["nope"] }), /not an IP/);
  });
});

describe("KeyedTokenBuckets", () => {
  it("refills at the configured rate", () => {
    let t = 0;
    const b = new KeyedTokenBuckets({ rate: 2, burst: 2 }, () => t);
    assert.equal(b.take("a"), true);
    assert.equal(b.take("a"), true);
    assert.equal(b.take("a"), false);
    t = 500;
    assert.equal(b.take("a"), true);
    assert.equal(b.take("a"), false);
  });
});
