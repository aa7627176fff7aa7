import assert from "node:assert/strict";
import { test } from "node:test";
import { RR } from "./constants.ts";
import { DnsFormatError } from "./errors.ts";
import { parseRdata, rdataToText, writeRdata } from "./rdata.ts";
import { WireWriter } from "./writer.ts";

const roundTrip = (type: number, text: string, origin?: string) => {
  const rd = parseRdata(type, text, origin);
  const w = new WireWriter();
  writeRdata(w, rd);
  const wire = w.finish();
  return { text: rd.text, back: rdataToText(type, wire, 0, wire.length) };
};

test("every supported type round-trips text → wire → text", () => {
  const cases: Array<[number, string, string]> = [
    [RR.A, "192.0.2.1", "192.0.2.1"],
    [RR.AAAA, "2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    [RR.AAAA, "::ffff:192.0.2.1", "::ffff:c000:201"],
    [RR.NS, "ns1", "ns1.example.net."],
    [RR.CNAME, "target.example.org.", "target.example.org."],
    [RR.PTR, "host", "host.example.net."],
    [RR.MX, "10 mail", "10 mail.example.net."],
    [RR.SRV, "1 2 443 svc", "1 2 443 svc.example.net."],
    [RR.SOA, "ns1 hostmaster 1 2 3 4 5", "ns1.example.net. hostmaster.example.net. 1 2 3 4 5"],
    [RR.TXT, '"hello world" "a\\"b"', '"hello world" "a\\"b"'],
    [RR.TXT, "unquoted", '"unquoted"'],
    [RR.CAA, '0 issue "letsencrypt.org"', '0 issue "letsencrypt.org"'],
    [65400, "\\# 3 ABCDEF", "\\# 3 abcdef"],
    [65400, "\\# 0", "\\# 0"],
  ];
  for (const [type, input, want] of cases) {
    const r = roundTrip(type, input, "example.net.");
    assert.equal(r.text, want, input);
    assert.equal(r.back, want, input);
  }
});

test("known types given in RFC 3597 generic form are normalised", () => {
  assert.equal(parseRdata(RR.A, "\\# 4 c0000201").text, "192.0.2.1");
});

test("long TXT strings are split into 255-octet character-strings", () => {
  const r = roundTrip(RR.TXT, `"${"x".repeat(300)}"`);
  assert.equal(r.back, `"${"x".repeat(255)}" "${"x".repeat(45)}"`);
});

test("bad input throws DnsFormatError with a stable code", () => {
  for (const [type, text] of [
    [RR.A, "1.2.3"],
    [RR.AAAA, "1.2.3.4"],
    [RR.MX, "mail"],
    [RR.MX, "70000 mail."],
    [RR.SRV, "1 2 x host."],
    [RR.CAA, "0 bad-tag x"],
    [RR.TXT, '"unterminated'],
    [65400, "\\# 2 abcdef"],
    [65400, "plain text"],
    [RR.CNAME, `${"a".repeat(64)}.example.`],
  ] as Array<[number, string]>) {
    assert.throws(() => parseRdata(type, text, "example.net."), DnsFormatError, `${type} ${text}`);
  }
});
