import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import {
  encodeProxyV1,
  encodeProxyV2,
  ipv6ToBytes,
  PROXY_V2_SIGNATURE,
  parseProxyHeader,
} from "./proxy-header.ts";

const v4 = {
  family: "tcp4",
  srcAddr: "203.0.113.9",
  srcPort: 51000,
  dstAddr: "10.0.0.1",
  dstPort: 443,
} as const;
const v6 = {
  family: "tcp6",
  srcAddr: "2001:db8::7",
  srcPort: 4000,
  dstAddr: "2001:db8:0:1::1",
  dstPort: 8443,
} as const;

describe("PROXY protocol", () => {
  it("round-trips v1 and v2 for IPv4 and IPv6", () => {
    for (const a of [v4, v6]) {
      for (const enc of [encodeProxyV1, encodeProxyV2]) {
        const hdr = enc(a);
        const r = parseProxyHeader(Buffer.concat([hdr, Buffer.from("payload")]));
        assert.equal(r.kind, "ok");
        if (r.kind !== "ok") return;
        assert.equal(r.consumed, hdr.length);
        assert.deepEqual(r.addresses, a);
      }
    }
  });

  it("parses the spec's v1 examples and UNKNOWN", () => {
    const r = parseProxyHeader(
      Buffer.from("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nGET /"),
    );
    assert.deepEqual(r, {
      kind: "ok",
      version: 1,
      consumed: 47,
      addresses: {
        family: "tcp4",
        srcAddr: "192.168.0.1",
        dstAddr: "192.168.0.11",
        srcPort: 56324,
        dstPort: 443,
      },
    });
    const u = parseProxyHeader(Buffer.from("PROXY UNKNOWN\r\n"));
    assert.deepEqual(u, { kind: "ok", version: 1, consumed: 15, addresses: undefined });
  });

  it("v2 LOCAL carries no address", () => {
    const b = Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([0x20, 0x00, 0x00, 0x00])]);
    assert.deepEqual(parseProxyHeader(b), {
      kind: "ok",
      version: 2,
      consumed: 16,
      addresses: undefined,
    });
  });

  it("needs more on every prefix", () => {
    for (const hdr of [encodeProxyV1(v6), encodeProxyV2(v6)]) {
      for (let n = 0; n < hdr.length; n++)
        assert.equal(parseProxyHeader(hdr.subarray(0, n)).kind, "need_more");
    }
  });

  it("rejects malformed v1 lines", () => {
    const bad = [
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 70000\r\n",
      "PROXY TCP4 1.2.3.4 ::1 1 2\r\n",
      "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",
      "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n",
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n",
      `PROXY TCP4 ${"1".repeat(120)}`,
    ];
    for (const s of bad) assert.equal(parseProxyHeader(Buffer.from(s)).kind, "error", s);
    assert.deepEqual(parseProxyHeader(Buffer.from("\x16\x03\x01")), {
      kind: "error",
      code: "not_proxy",
    });
  });

  it("converts IPv6 text to bytes, including compressed and v4-mapped forms", () => {
    assert.equal(ipv6ToBytes("::1").toString("hex"), "00000000000000000000000000000001");
    assert.equal(ipv6ToBytes("2001:db8::").toString("hex"), "20010db8000000000000000000000000");
    assert.equal(ipv6ToBytes("::ffff:1.2.3.4").toString("hex"), "00000000000000000000ffff01020304");
  });

  it("fuzz: random and mutated headers never throw (seeded)", () => {
    const seed = fuzzSeed();
    const r = rng(seed);
    const samples = [encodeProxyV1(v4), encodeProxyV1(v6), encodeProxyV2(v4), encodeProxyV2(v6)];
    let ok = 0;
    for (let i = 0; i < 5000; i++) {
      let input: Buffer;
      if (i % 5 === 0) input = r.bytes(i % 300);
      else {
        input = Buffer.from(samples[i % samples.length] as Buffer);
        for (let f = 0; f <= i % 4; f++) input[r.int(input.length)] = r.int(256);
        if (i % 3 === 0) input = input.subarray(0, r.int(input.length));
      }
      const where = `${input.toString("hex")}, ${replayHint(seed)}`;
      let res: ReturnType<typeof parseProxyHeader>;
      try {
        res = parseProxyHeader(input);
      } catch (e) {
        assert.fail(`${String(e)}: ${where}`);
      }
      if (res.kind === "ok") {
        ok++;
        assert.ok(res.consumed > 0 && res.consumed <= input.length, where);
        const port = res.addresses?.srcPort ?? 0;
        assert.ok(port >= 0 && port <= 65535, where);
      }
    }
    assert.ok(ok > 0, replayHint(seed));
  });
});
