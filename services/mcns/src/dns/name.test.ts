import assert from "node:assert/strict";
import { test } from "node:test";
import { DnsFormatError } from "./errors.ts";
import {
  absoluteName,
  isSubdomain,
  labelsToName,
  lowerName,
  nameToLabels,
  parentName,
} from "./name.ts";
import { readName } from "./reader.ts";
import { WireWriter } from "./writer.ts";

test("presentation names, escapes and relative resolution", () => {
  assert.equal(absoluteName("www", "Example.NET."), "www.Example.NET.");
  assert.equal(absoluteName("@", "example.net."), "example.net.");
  assert.equal(absoluteName("a\\.b.example.net."), "a\\.b.example.net.");
  assert.deepEqual(
    nameToLabels("a\\.b.c.").map((l) => l.toString()),
    ["a.b", "c"],
  );
  assert.equal(labelsToName([Buffer.from([0x41, 0x00, 0x20])]), "A\\000\\032.");
  assert.equal(lowerName("WwW.ÄB.com."), "www.Äb.com.");
  assert.equal(parentName("a\\.b.c.d."), "c.d.");
  assert.equal(parentName("d."), ".");
  assert.ok(isSubdomain("a.b.c.", "b.c."));
  assert.ok(!isSubdomain("ab.c.", "b.c."));
  assert.throws(() => absoluteName("a..b"), DnsFormatError);
  assert.throws(() => absoluteName(`${"a".repeat(64)}.`), DnsFormatError);
  assert.throws(() => absoluteName(`${"a.".repeat(128)}`), DnsFormatError);
});

test("compression writes pointers case-insensitively and the reader follows them", () => {
  const w = new WireWriter();
  w.u16(0);
  w.name("Mail.Example.NET.");
  w.name("www.example.net.");
  w.name("example.net.");
  const buf = w.finish();
  assert.equal(buf.length, 2 + 18 + (4 + 2) + 2);
  const a = readName(buf, 2);
  const b = readName(buf, a.next);
  const c = readName(buf, b.next);
  assert.equal(a.name, "Mail.Example.NET.");
  assert.equal(b.name, "www.Example.NET.");
  assert.equal(c.name, "Example.NET.");
});

test("the reader rejects loops, forward pointers and overruns", () => {
  assert.throws(() => readName(Buffer.from([0xc0, 0x00]), 0), DnsFormatError);
  assert.throws(() => readName(Buffer.from([0x00, 0xc0, 0x03, 0x00]), 1), DnsFormatError);
  assert.throws(() => readName(Buffer.from([0x05, 0x61]), 0), DnsFormatError);
  assert.throws(() => readName(Buffer.from([0x40]), 0), DnsFormatError);
});
