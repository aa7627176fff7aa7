import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { captureClientHello, splitIntoRecords } from "./capture-hello.ts";
import { parseClientHello } from "./client-hello.ts";

describe("parseClientHello", () => {
  it("reads SNI and ALPN from a real Node ClientHello", async () => {
    const hello = await captureClientHello("App.Example.TEST", ["h2", "http/1.1"]);
    const r = parseClientHello(hello);
    assert.deepEqual(r, { kind: "ok", sni: "app.example.test", alpn: ["h2", "http/1.1"] });
  });

  it("asks for more on every strict prefix, including byte-by-byte arrival", async () => {
    const hello = await captureClientHello("a.example.test");
    for (let n = 0; n < hello.length; n++) {
      assert.equal(parseClientHello(hello.subarray(0, n)).kind, "need_more", `prefix ${n}`);
    }
    assert.equal(parseClientHello(hello).kind, "ok");
  });

  it("reassembles a handshake split over many TLS records", async () => {
    const hello = await captureClientHello("split.example.test", ["h2"]);
    for (const size of [1, 7, 64, 200]) {
      const framed = splitIntoRecords(hello, size);
      for (const cut of [10, Math.floor(framed.length / 2), framed.length - 1]) {
        assert.equal(parseClientHello(framed.subarray(0, cut)).kind, "need_more");
      }
      assert.deepEqual(parseClientHello(framed), {
        kind: "ok",
        sni: "split.example.test",
        alpn: ["h2"],
      });
    }
  });

  it("returns clean errors for non-TLS input", () => {
    assert.deepEqual(parseClientHello(Buffer.from("GET / HTTP/1.1\r\n")), {
      kind: "error",
      code: "not_tls",
    });
    const serverHello = Buffer.from([0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00]);
    assert.deepEqual(parseClientHello(serverHello), { kind: "error", code: "not_client_hello" });
  });

  it("rejects a handshake that claims to be huge", () => {
    const b = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0xff, 0xff, 0xff]);
    assert.deepEqual(parseClientHello(b), { kind: "error", code: "too_large" });
  });

  it("fuzz: random and mutated inputs never throw and always classify (seeded)", async () => {
    const seed = fuzzSeed();
    const r = rng(seed);
    const samples = [
      await captureClientHello("fuzz.example.test", ["h2", "http/1.1"]),
      splitIntoRecords(await captureClientHello("x.test"), 50),
    ];
    let ok = 0;
    let errors = 0;
    for (let i = 0; i < 4000; i++) {
      const sample = samples[i % samples.length] as Buffer;
      let input: Buffer;
      if (i % 4 === 0) {
        input = r.bytes(1 + (i % 600));
        input[0] = 0x16;
      } else {
        input = Buffer.from(sample);
        const flips = 1 + (i % 8);
        for (let f = 0; f < flips; f++) input[r.int(input.length)] = r.int(256);
        if (i % 3 === 0) input = input.subarray(0, r.int(input.length));
      }
      const where = `${input.toString("hex")}, ${replayHint(seed)}`;
      const res = parseClientHello(input);
      assert.ok(["need_more", "ok", "error"].includes(res.kind), where);
      if (res.kind === "ok") {
        ok++;
        if (res.sni !== undefined) assert.match(res.sni, /^[a-z0-9_.-]+$/, where);
      }
      if (res.kind === "error") errors++;
    }
    assert.ok(ok > 0 && errors > 0, `ok=${ok} errors=${errors}, ${replayHint(seed)}`);
  });
});
