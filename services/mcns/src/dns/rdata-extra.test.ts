// The RFC 9460 / 4034 / 4398 / 6698 / 4255 / 3403 / 7553 types: presentation ↔ wire round trips,
// the RFCs' validation with stable codes, and a seeded fuzz of the wire decoders.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RR } from "./constants.ts";
import { DnsFormatError } from "./errors.ts";
import { parseRdata, rdataToText, writeRdata } from "./rdata.ts";
import { WireWriter } from "./writer.ts";

const O = "example.net.";
const wireOf = (type: number, text: string) => {
  const w = new WireWriter();
  writeRdata(w, parseRdata(type, text, O));
  return w.finish();
};
const back = (type: number, text: string) => {
  const wire = wireOf(type, text);
  return rdataToText(type, wire, 0, wire.length);
};

const SHA256 = "a".repeat(64);
test("each new type round-trips presentation → wire → presentation", () => {
  const cases: Array<[number, string, string]> = [
    [RR.HINFO, '"PC" "Linux 6"', '"PC" "Linux 6"'],
    [RR.HINFO, "amd64 linux", '"amd64" "linux"'],
    [
      RR.NAPTR,
      '100 10 "S" "SIP+D2U" "" _sip._udp',
      '100 10 "S" "SIP+D2U" "" _sip._udp.example.net.',
    ],
    [RR.NAPTR, '10 0 "u" "E2U+sip" "!^.*$!sip:a@b!" .', '10 0 "u" "E2U+sip" "!^.*$!sip:a@b!" .'],
    [RR.CERT, "PKIX 12 RSASHA256 AAECAw==", "1 12 8 AAECAw=="],
    [
      RR.DS,
      `60485 5 2 ${SHA256.slice(0, 32)} ${SHA256.slice(32)}`,
      `60485 5 2 ${SHA256.toUpperCase()}`,
    ],
    [RR.DS, `1 ECDSAP256SHA256 1 ${"0f".repeat(20)}`, `1 13 1 ${"0F".repeat(20)}`],
    [RR.DNSKEY, "257 3 13 AAEC AwQ=", "257 3 13 AAECAwQ="],
    [RR.TLSA, `3 1 1 ${SHA256}`, `3 1 1 ${SHA256.toUpperCase()}`],
    [RR.TLSA, "3 0 0 30 82", "3 0 0 3082"],
    [RR.SSHFP, `4 2 ${SHA256}`, `4 2 ${SHA256.toUpperCase()}`],
    [RR.URI, '10 1 "https://example.net/"', '10 1 "https://example.net/"'],
    [RR.SVCB, "0 pool.svc", "0 pool.svc.example.net."],
    [RR.SVCB, "0 pool.svc alpn=h2", '0 pool.svc.example.net. alpn="h2"'],
    [RR.HTTPS, "1 .", "1 ."],
    [
      RR.HTTPS,
      '1 . port=8443 alpn="h3,h2" ipv6hint=2001:DB8::1,2001:db8::2 ipv4hint=192.0.2.1 mandatory=port,alpn',
      '1 . mandatory=alpn,port alpn="h3,h2" port=8443 ipv4hint=192.0.2.1 ipv6hint=2001:db8::1,2001:db8::2',
    ],
    [RR.SVCB, "1 foo no-default-alpn alpn=h2", '1 foo.example.net. alpn="h2" no-default-alpn'],
    [RR.SVCB, "16 foo.example.org. ech=AEX+DQ==", "16 foo.example.org. ech=AEX+DQ=="],
    [
      RR.SVCB,
      '1 foo key667="hello\\210qoo" key65000',
      '1 foo.example.net. key667="hello\\210qoo" key65000',
    ],
    // RFC 9460 Appendix D.2: escaped commas and backslashes inside an alpn id.
    [
      RR.SVCB,
      '16 foo.example.org. alpn="f\\\\\\\\oo\\\\,bar,h2"',
      '16 foo.example.org. alpn="f\\\\\\\\oo\\\\,bar,h2"',
    ],
    [
      RR.SVCB,
      "16 foo.example.org. alpn=f\\\\\\092oo\\092,bar,h2",
      '16 foo.example.org. alpn="f\\\\\\\\oo\\\\,bar,h2"',
    ],
  ];
  for (const [type, input, canonical] of cases) {
    assert.equal(parseRdata(type, input, O).text, canonical, input);
    assert.equal(back(type, input), canonical, input);
    assert.equal(parseRdata(type, canonical, O).text, canonical, `canonical ${canonical}`);
  }
});

test("RFC 9460 Appendix D wire vectors", () => {
  const hex = (type: number, text: string) => wireOf(type, text).toString("hex");
  assert.equal(hex(RR.SVCB, "0 foo.example.com."), "000003666f6f076578616d706c6503636f6d00");
  assert.equal(hex(RR.SVCB, "1 ."), "000100");
  assert.equal(
    hex(RR.SVCB, "16 foo.example.com. port=53"),
    "001003666f6f076578616d706c6503636f6d00000300020035",
  );
  assert.equal(
    hex(RR.SVCB, "16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn ipv4hint=192.0.2.1"),
    "001003666f6f076578616d706c65036f726700" +
      "0000000400010004" +
      "000100090268320568332d3139" +
      "00040004c0000201",
  );
});

test("invalid input is refused with a stable code", () => {
  const cases: Array<[number, string, string]> = [
    [RR.DS, `1 8 2 ${"ab".repeat(20)}`, "bad_digest_length"],
    [RR.DS, "1 8 2 xyz", "bad_rdata"],
    [RR.TLSA, `3 1 2 ${SHA256}`, "bad_digest_length"],
    [RR.SSHFP, `1 1 ${SHA256}`, "bad_digest_length"],
    [RR.DNSKEY, "257 2 13 AAEC", "bad_rdata"],
    [RR.DNSKEY, "257 3 13 not*base64", "bad_rdata"],
    [RR.CERT, "BOGUS 1 8 AAAA", "bad_rdata"],
    [RR.NAPTR, '1 1 "S!" "x" "" .', "bad_rdata"],
    [RR.NAPTR, '1 1 "u" "x" "!a!b!" host', "bad_rdata"],
    [RR.URI, "1 1 unquoted", "bad_rdata"],
    [RR.URI, '1 1 ""', "bad_rdata"],
    [RR.HINFO, '"only-one"', "bad_rdata"],
    [RR.SVCB, "1 . alpn=h2 alpn=h3", "bad_svcparam"],
    [RR.SVCB, "1 . mandatory=port", "bad_svcparam"],
    [RR.SVCB, "1 . mandatory=mandatory", "bad_svcparam"],
    [RR.SVCB, "1 . no-default-alpn", "bad_svcparam"],
    [RR.SVCB, "1 . no-default-alpn=x alpn=h2", "bad_svcparam"],
    [RR.SVCB, "1 . port=70000", "bad_svcparam"],
    [RR.SVCB, "1 . ipv4hint=2001:db8::1", "bad_svcparam"],
    [RR.SVCB, "1 . ipv6hint=", "bad_svcparam"],
    [RR.SVCB, "1 . alpn=h2,,h3", "bad_svcparam"],
    [RR.SVCB, "1 . key65535=x", "bad_svcparam"],
    [RR.SVCB, "1 . bogus=1", "bad_svcparam"],
    [RR.SVCB, "1 . ech=%%%", "bad_svcparam"],
    [RR.SVCB, '1 . alpn="h2', "bad_svcparam"],
    [RR.SVCB, "70000 .", "bad_rdata"],
  ];
  for (const [type, input, code] of cases) {
    assert.throws(
      () => parseRdata(type, input, O),
      (e: unknown) => e instanceof DnsFormatError && e.code === code,
      `${input} should fail with ${code}`,
    );
  }
});

test("wire decoders: out-of-order SvcParams are refused; a seeded fuzz never crashes", (t) => {
  const unordered = Buffer.from("0001000003000201bb00010003026832", "hex");
  assert.throws(() => rdataToText(RR.SVCB, unordered, 0, unordered.length), DnsFormatError);
  const seed = Number(process.env.MC_FUZZ_SEED ?? Date.now() % 1_000_000);
  t.diagnostic(`fuzz seed ${seed} (replay with MC_FUZZ_SEED=${seed})`);
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s;
  };
  const types = [
    RR.SVCB,
    RR.HTTPS,
    RR.DS,
    RR.DNSKEY,
    RR.TLSA,
    RR.SSHFP,
    RR.NAPTR,
    RR.CERT,
    RR.URI,
    RR.HINFO,
  ];
  const seeds = [
    wireOf(RR.HTTPS, '1 . alpn="h2,h3" port=443 ipv6hint=::1'),
    wireOf(RR.NAPTR, '1 2 "S" "x" "" a.b.'),
  ];
  for (let i = 0; i < 20_000; i++) {
    const type = types[rnd() % types.length]!;
    const base = seeds[rnd() % seeds.length]!;
    const buf = Buffer.from(rnd() % 2 ? base : Buffer.alloc(rnd() % 40));
    for (let k = rnd() % 4; k >= 0 && buf.length > 0; k--) buf[rnd() % buf.length] = rnd() & 0xff;
    try {
      const text = rdataToText(type, buf, 0, buf.length);
      // Whatever decodes must re-encode to the same text (canonical form is a fixed point).
      assert.equal(parseRdata(type, text).text, text, `seed ${seed} case ${i}`);
    } catch (e) {
      if (!(e instanceof DnsFormatError)) throw new Error(`seed ${seed} case ${i}: ${String(e)}`);
    }
  }
});
