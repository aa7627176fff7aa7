// The backend request text read from the lean front's field list must be exactly the text read
// from the equivalent header object; the list's answers (plain, single, has) must match the
// object's. Checked on random header lists with repeats, forwarding and hop-by-hop names.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConnMeta } from "../conn-meta.ts";
import { HeaderCollector } from "../h2/request-headers.ts";
import { fieldsRequestText, requestText } from "./h2-heads.ts";

const NAMES = [
  "accept",
  "cookie",
  "set-cookie",
  "host",
  "x-forwarded-for",
  "x-real-ip",
  "x-forwarded-proto",
  "te",
  "content-type",
  "content-length",
  "constructor",
  "__proto__",
  "1abc",
  "x-a",
  "x-b",
];

const meta = { clientAddr: "192.0.2.7", sni: "sni.test" } as ConnMeta;

function rng(seed: number) {
  let t = seed;
  return (n: number) => {
    t = (Math.imul(t ^ (t >>> 15), 2654435761) + 0x9e3779b9) >>> 0;
    return t % n;
  };
}

describe("HTTP/2 → HTTP/1.1 request text from the field list", () => {
  it("equals the text built from the header object whenever the list is plain", () => {
    const c = new HeaderCollector();
    let plain = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const r = rng(seed);
      c.reset(false);
      c.add(":method", r(2) === 0 ? "GET" : "POST");
      c.add(":scheme", "https");
      c.add(":path", `/p${seed}`);
      if (r(3) > 0) c.add(":authority", "a.test");
      const n = r(8);
      for (let i = 0; i < n; i++) {
        const name = NAMES[r(NAMES.length)] as string;
        c.add(name, name === "te" ? "trailers" : name === "content-length" ? "5" : `v${r(4)}`);
      }
      if (c.finish() === null) continue;
      const f = c.fields;
      const o = f.object();
      for (const name of NAMES) {
        const v = o[name];
        assert.equal(f.single(name), typeof v === "string" ? v : undefined, name);
        assert.equal(f.has(name), v !== undefined, name);
      }
      if (!f.plain) continue;
      plain++;
      for (const chunked of [false, true])
        assert.equal(
          fieldsRequestText(f, meta, chunked),
          requestText(o, meta, chunked),
          JSON.stringify(f.names),
        );
    }
    assert.ok(plain > 500, `only ${plain} plain lists`);
  });

  it("keeps fields named like Object.prototype members as plain fields", () => {
    const c = new HeaderCollector();
    c.reset(false);
    for (const [n, v] of [
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/"],
      ["constructor", "x"],
      ["__proto__", "y"],
    ] as const)
      c.add(n, v);
    assert.equal(c.finish(), -1);
    assert.equal(c.headers.constructor, "x");
    assert.equal(Object.getOwnPropertyDescriptor(c.headers, "__proto__")?.value, "y");
    assert.match(
      fieldsRequestText(c.fields, meta, false),
      /\r\nconstructor: x\r\n__proto__: y\r\n/,
    );
  });
});
