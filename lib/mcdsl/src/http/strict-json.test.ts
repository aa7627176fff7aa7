// Seeded, replayable fuzz of the strict JSON reader against JSON.parse (the value oracle) and a
// slow recursive-descent reference (the duplicate and surrogate oracle). Replay a failure with
// MC_FUZZ_SEED=<seed printed in the test name>.
import assert from "node:assert/strict";
import { test } from "node:test";
import { rng } from "@metacircular/testkit";
import { parseStrictJson } from "./strict-json.ts";

const SEED = Number(process.env.MC_FUZZ_SEED ?? Date.now() % 1_000_000);

function pairedSurrogates(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const u = s.charCodeAt(k);
    if (u >= 0xdc00 && u <= 0xdfff) return false;
    if (u >= 0xd800 && u <= 0xdbff) {
      const v = s.charCodeAt(k + 1);
      if (!(v >= 0xdc00 && v <= 0xdfff)) return false;
      k++;
    }
  }
  return true;
}

/** Reference: does any object repeat a name, or any string hold an unpaired surrogate? */
function reference(text: string): { duplicate: boolean; lone: boolean } {
  // A raw unpaired surrogate in the text itself is ill-formed even where JSON.parse would
  // pair it with an escaped neighbour.
  const out = { duplicate: false, lone: !pairedSurrogates(text) };
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i] ?? "")) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    const s = JSON.parse(text.slice(start, i)) as string;
    if (!pairedSurrogates(s)) out.lone = true;
    return s;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const seen: string[] = [];
      ws();
      while (text[i] !== "}") {
        ws();
        const k = str();
        if (seen.includes(k)) out.duplicate = true;
        seen.push(k);
        ws();
        i++; // ':'
        value();
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === "[") {
      i++;
      ws();
      while (text[i] !== "]") {
        value();
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === '"') str();
    else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  value();
  return out;
}

function gen(rnd: () => number) {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const space = () => (rnd() < 0.2 ? pick([" ", "\n", "\t", "\r\n ", "  "]) : "");
  const escapeChar = (ch: string): string => {
    if (rnd() < 0.3)
      return [...ch].map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    return JSON.stringify(ch).slice(1, -1);
  };
  const rawString = (): string => {
    const n = Math.floor(rnd() * 6);
    let s = "";
    for (let k = 0; k < n; k++) {
      const r = rnd();
      if (r < 0.5) s += pick(["a", "b", "r", "o", "l", "e", "s"]);
      else if (r < 0.6) s += pick(['"', "\\", "\n", "\u0000", "/"]);
      else if (r < 0.75) s += String.fromCodePoint(0x80 + Math.floor(rnd() * 0xd000));
      else if (r < 0.9) s += String.fromCodePoint(0x10000 + Math.floor(rnd() * 0xfffff));
      else s += String.fromCharCode(0xd800 + Math.floor(rnd() * 0x800));
    }
    return s;
  };
  const encode = (s: string): string => {
    // Lone surrogates can only be written as escapes; everything else either way.
    let out = '"';
    for (const ch of s) {
      const lone = ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff;
      out += lone ? `\\u${ch.charCodeAt(0).toString(16)}` : escapeChar(ch);
    }
    return `${out}"`;
  };
  const value = (depth: number): string => {
    const r = rnd();
    if (depth > 3 || r < 0.35)
      return pick([
        () => encode(rawString()),
        () => String(Math.floor(rnd() * 2000) - 1000),
        () => (rnd() * 1e6).toExponential(3),
        () => pick(["true", "false", "null"]),
      ])();
    if (r < 0.55) {
      const n = Math.floor(rnd() * 4);
      return `[${space()}${Array.from({ length: n }, () => value(depth + 1)).join(`${space()},${space()}`)}${space()}]`;
    }
    const keys = Array.from({ length: Math.floor(rnd() * 5) }, rawString);
    if (keys.length && rnd() < 0.15) keys.push(pick(keys));
    const members = keys.map((k) => `${encode(k)}${space()}:${space()}${value(depth + 1)}`);
    return `{${space()}${members.join(`${space()},${space()}`)}${space()}}`;
  };
  return `${space()}${value(0)}${space()}`;
}

function check(text: string, label: string): void {
  const got = parseStrictJson(text);
  let oracle: unknown;
  try {
    oracle = JSON.parse(text);
  } catch {
    assert.equal(got.ok, false, label);
    if (!got.ok) assert.equal(got.code, "invalid_json", label);
    return;
  }
  const ref = reference(text);
  if (!ref.duplicate && !ref.lone) {
    assert.equal(got.ok, true, `${label}: ${got.ok ? "" : got.message}`);
    if (got.ok) assert.deepEqual(got.value, oracle, label);
    return;
  }
  assert.equal(got.ok, false, label);
  if (got.ok) return;
  const expected = [
    ...(ref.duplicate ? ["duplicate_key"] : []),
    ...(ref.lone ? ["invalid_unicode"] : []),
  ];
  assert.ok(expected.includes(got.code), `${label}: ${got.code} not in ${expected}`);
}

test(`strict JSON fuzz: generated documents (MC_FUZZ_SEED=${SEED})`, () => {
  const rnd = rng(SEED).next;
  for (let n = 0; n < 4000; n++) check(gen(rnd), `seed ${SEED} doc ${n}`);
});

test(`strict JSON fuzz: mutated documents (MC_FUZZ_SEED=${SEED})`, () => {
  const rnd = rng(SEED ^ 0x5a5a).next;
  const alphabet = ['"', "\\", "{", "}", "[", "]", ":", ",", "a", "u", "0", " ", "d8", "\\ud800"];
  for (let n = 0; n < 4000; n++) {
    let text = gen(rnd);
    for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) {
      const at = Math.floor(rnd() * (text.length + 1));
      const cut = rnd() < 0.5 ? 1 : 0;
      const ins = alphabet[Math.floor(rnd() * alphabet.length)]!;
      text = text.slice(0, at) + ins + text.slice(at + cut);
    }
    check(text, `seed ${SEED} mutant ${n}: ${JSON.stringify(text)}`);
  }
});

test("duplicates are found after unescaping, per object, and only for names", () => {
  const code = (t: string) => {
    const r = parseStrictJson(t);
    return r.ok ? "ok" : r.code;
  };
  assert.equal(code('{"roles":["user"],"roles":["admin"]}'), "duplicate_key");
  assert.equal(code('{"a":1,"\\u0061":2}'), "duplicate_key");
  assert.equal(code('{"a":{"b":1},"c":{"b":2}}'), "ok");
  assert.equal(code('{"a":"a","b":["a","a"]}'), "ok");
  assert.equal(code('[{"a":1},{"a":1}]'), "ok");
  assert.equal(code('{"x":{"a":1,"a":2}}'), "duplicate_key");
  assert.equal(code('{"__proto__":1,"__proto__":2}'), "duplicate_key");
  assert.equal(code('{"k":"al\\ud800ice"}'), "invalid_unicode");
  assert.equal(code('{"k":"\\udc00"}'), "invalid_unicode");
  assert.equal(code('{"k":"\\ud83d\\ude00"}'), "ok");
  assert.equal(code('{"k\\\\":1, "k\\\\" :2}'), "duplicate_key");
  assert.equal(code("{"), "invalid_json");
});
