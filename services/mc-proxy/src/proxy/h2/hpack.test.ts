// HPACK against RFC 7541 Appendix C (integers, requests and responses, raw and Huffman, with
// eviction), Huffman round trips over every octet, the encoder read back by the decoder, and
// malformed blocks.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { HpackDecoder, HpackError, readInt } from "./hpack-decoder.ts";
import { HpackEncoder } from "./hpack-encoder.ts";
import { HuffmanError, huffmanDecode, huffmanEncode } from "./huffman.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

function decodeAll(d: HpackDecoder, block: Buffer): [string, string][] {
  const out: [string, string][] = [];
  d.decode(block, (n, v) => out.push([n, v]));
  return out;
}

const REQ1: [string, string][] = [
  [":method", "GET"],
  [":scheme", "http"],
  [":path", "/"],
  [":authority", "www.example.com"],
];
const REQ2: [string, string][] = [...REQ1, ["cache-control", "no-cache"]];
const REQ3: [string, string][] = [
  [":method", "GET"],
  [":scheme", "https"],
  [":path", "/index.html"],
  [":authority", "www.example.com"],
  ["custom-key", "custom-value"],
];
const DATE1 = "Mon, 21 Oct 2013 20:13:21 GMT";
const RES1: [string, string][] = [
  [":status", "302"],
  ["cache-control", "private"],
  ["date", DATE1],
  ["location", "https://www.example.com"],
];
const RES2: [string, string][] = [[":status", "307"], ...RES1.slice(1)];
const RES3: [string, string][] = [
  [":status", "200"],
  ["cache-control", "private"],
  ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
  ["location", "https://www.example.com"],
  ["content-encoding", "gzip"],
  ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
];

describe("HPACK (RFC 7541 Appendix C)", () => {
  it("C.1 integers", () => {
    assert.deepEqual(readInt(hex("0a"), 0, 5), [10, 1]);
    assert.deepEqual(readInt(hex("1f9a0a"), 0, 5), [1337, 3]);
    assert.deepEqual(readInt(hex("2a"), 0, 8), [42, 1]);
    assert.throws(() => readInt(hex("1fffffffffff7f"), 0, 5), HpackError);
    assert.throws(() => readInt(hex("1f9a"), 0, 5), HpackError);
  });

  const requests = (blocks: string[]) => {
    const d = new HpackDecoder(4096);
    assert.deepEqual(decodeAll(d, hex(blocks[0] as string)), REQ1);
    assert.equal(d.tableSize, 57);
    assert.deepEqual(decodeAll(d, hex(blocks[1] as string)), REQ2);
    assert.equal(d.tableSize, 110);
    assert.deepEqual(decodeAll(d, hex(blocks[2] as string)), REQ3);
    assert.equal(d.tableSize, 164);
  };

  it("C.3 requests without Huffman coding", () =>
    requests([
      "828684410f7777772e6578616d706c652e636f6d",
      "828684be58086e6f2d6361636865",
      "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565",
    ]));

  it("C.4 requests with Huffman coding", () =>
    requests([
      "828684418cf1e3c2e5f23a6ba0ab90f4ff",
      "828684be5886a8eb10649cbf",
      "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf",
    ]));

  const responses = (blocks: string[]) => {
    const d = new HpackDecoder(256);
    assert.deepEqual(decodeAll(d, hex(blocks[0] as string)), RES1);
    assert.equal(d.tableSize, 222);
    assert.deepEqual(decodeAll(d, hex(blocks[1] as string)), RES2);
    assert.equal(d.tableSize, 222);
    assert.deepEqual(decodeAll(d, hex(blocks[2] as string)), RES3);
    assert.equal(d.tableSize, 215);
  };

  it("C.5 responses without Huffman coding (eviction at 256 octets)", () =>
    responses([
      "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d",
      "4803333037c1c0bf",
      "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31",
    ]));

  it("C.6 responses with Huffman coding", () =>
    responses([
      "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3",
      "4883640effc1c0bf",
      "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
    ]));

  it("Huffman: every octet round-trips, RFC strings encode as in the RFC", () => {
    assert.equal(
      huffmanEncode(Buffer.from("www.example.com")).toString("hex"),
      "f1e3c2e5f23a6ba0ab90f4ff",
    );
    assert.equal(huffmanEncode(Buffer.from("no-cache")).toString("hex"), "a8eb10649cbf");
    const all = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    for (const s of [all, randomBytes(1000), Buffer.alloc(0)]) {
      const enc = huffmanEncode(s);
      const out = Buffer.alloc(s.length * 2 + 8);
      assert.deepEqual(out.subarray(0, huffmanDecode(enc, 0, enc.length, out)), s);
    }
  });

  it("Huffman: bad padding, EOS and overlong padding are errors", () => {
    const out = Buffer.alloc(64);
    assert.throws(() => huffmanDecode(hex("00"), 0, 1, out), HuffmanError); // '0' then zero padding
    assert.throws(() => huffmanDecode(hex("ffffffff"), 0, 4, out), HuffmanError); // EOS
    assert.throws(() => huffmanDecode(hex("1fff"), 0, 2, out), HuffmanError); // 8+ bits padding
  });

  it("rejects index 0, unknown indexes, late size updates and oversized updates", () => {
    for (const b of ["80", "ff00", "bf", "8220", "3fe21f", "0085", "00ff"]) {
      assert.throws(() => decodeAll(new HpackDecoder(4096), hex(b)), HpackError, b);
    }
  });

  it("an entry larger than the table empties it", () => {
    const d = new HpackDecoder(64);
    decodeAll(d, hex("4001610161"));
    assert.equal(d.tableSize, 34);
    const big = Buffer.concat([hex("40"), Buffer.from([1, 0x61, 60]), Buffer.alloc(60, 0x62)]);
    decodeAll(d, big);
    assert.equal(d.tableSize, 0);
  });

  it("the encoder's blocks decode to the same fields", () => {
    const e = new HpackEncoder();
    const headers = {
      "content-type": "application/json",
      "x-custom": "v",
      "set-cookie": ["a=1", "b=2"],
      "content-length": 12,
      connection: "close",
      "accept-encoding": "gzip, deflate",
    };
    for (const status of [200, 404, 302, 599]) {
      const block = e.encode(headers, status).subarray(9);
      assert.deepEqual(decodeAll(new HpackDecoder(4096), block), [
        [":status", String(status)],
        ["content-type", "application/json"],
        ["x-custom", "v"],
        ["set-cookie", "a=1"],
        ["set-cookie", "b=2"],
        ["content-length", "12"],
        ["accept-encoding", "gzip, deflate"],
      ]);
    }
    e.sizeUpdatePending = true;
    const long = "x".repeat(5000);
    const block = e.encode({ "x-long": long }).subarray(9);
    assert.equal(block[0], 0x20);
    assert.deepEqual(decodeAll(new HpackDecoder(4096), block), [["x-long", long]]);
  });
});
