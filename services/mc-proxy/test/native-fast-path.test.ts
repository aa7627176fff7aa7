// The L4 fast path of the native ingress: exact-name L4 routes start in the I/O thread without a
// JS verdict while the firewall admits everyone and the listener reads no PROXY header. Checks
// that it is taken when it may be (and booked in the metrics), that it is not taken when a rule,
// a wildcard, a PROXY header out or an L7 route is involved, that it follows state changes, and
// that its ClientHello reader never disagrees with the JS parser (differential fuzz).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  createTestCA,
  fuzzSeed,
  type Rng,
  replayHint,
  rng,
  type TestCA,
} from "@metacircular/testkit";
import { EMPTY_RULES, type FirewallRules } from "../src/firewall/firewall.ts";
import { captureClientHello, splitIntoRecords } from "../src/protocol/capture-hello.ts";
import { parseClientHello } from "../src/protocol/client-hello.ts";
import { ALERT_UNRECOGNIZED_NAME } from "../src/proxy/accept.ts";
import { normalizeHostname } from "../src/state/hostname.ts";
import { ROUTE_DEFAULTS, type RouteSpec } from "../src/state/types.ts";
import { startEngine, type TestEngine, tcpBackend } from "./helpers/engine.ts";
import { eventually, exchange } from "./helpers/raw-client.ts";

function mutate(r: Rng, b: Buffer): Buffer {
  const out = Buffer.from(b);
  const n = 1 + r.int(5);
  for (let i = 0; i < n; i++) out[r.int(out.length)] = r.int(256);
  return r.int(4) === 0 ? out.subarray(0, 1 + r.int(out.length - 1)) : out;
}

describe("native L4 fast path", () => {
  let ca: TestCA;
  let t: TestEngine;
  let echoAddr: string;
  const closers: (() => void)[] = [];
  const hellos = new Map<string, Buffer>();
  let routes: RouteSpec[];

  /** Echo backend: answers with what it got, after the client half-closes. */
  before(async () => {
    ca = createTestCA();
    const echo = await tcpBackend((s) => {
      const parts: Buffer[] = [];
      s.on("data", (d: Buffer) => parts.push(d));
      s.on("end", () => s.end(Buffer.concat(parts)));
      s.on("error", () => {});
    });
    echoAddr = echo.addr;
    closers.push(() => echo.server.close());
    for (const n of [
      "fast.example.test",
      "a.wild.example.test",
      "pp.example.test",
      "web.example.test",
      "nope.example.test",
    ])
      hellos.set(n, await captureClientHello(n, ["h2", "http/1.1"]));
    const leaf = ca.issue(["web.example.test"]);
    const r = (x: Partial<RouteSpec> & Pick<RouteSpec, "hostname" | "mode">): RouteSpec => ({
      ...ROUTE_DEFAULTS,
      listener: "in",
      backend: echoAddr,
      ...x,
    });
    routes = [
      r({ hostname: "fast.example.test", mode: "l4" }),
      r({ hostname: "*.wild.example.test", mode: "l4" }),
      r({ hostname: "pp.example.test", mode: "l4", sendProxy: 1 }),
      r({
        hostname: "web.example.test",
        mode: "l7",
        tlsCert: leaf.certPath,
        tlsKey: leaf.keyPath,
      }),
    ];
    routes.push({ ...(routes[0] as RouteSpec), listener: "v6" });
    t = await startEngine([{ name: "in" }, { name: "v6", addr: "[::1]:0" }], routes);
    assert.ok(t.engine.native, "the ingress addon must load for this test");
  });

  after(async () => {
    await t?.engine.close(1000);
    for (const c of closers) c();
    ca?.remove();
  });

  const hits = () => t.engine.native?.fastHits ?? -1;
  const apply = (firewall: Partial<FirewallRules>, rs: RouteSpec[] = routes) =>
    t.engine.apply({
      listeners: ["in", "v6"].map((name) => ({
        name,
        addr: t.engine.addresses()[name] as string,
        proxyProtocol: false,
        trustedProxies: [],
      })),
      routes: rs,
      firewall: { ...EMPTY_RULES, ...firewall },
    });

  it("starts exact-name L4 routes without JS and books them in the metrics", async () => {
    const before = hits();
    const hello = hellos.get("fast.example.test") as Buffer;
    const body = randomBytes(256 << 10);
    const r = await exchange(t.port("in"), Buffer.concat([hello, body]));
    assert.equal(r.error, undefined);
    assert.deepEqual(r.data, Buffer.concat([hello, body]));
    assert.equal(hits(), before + 1);
    const up = hello.length + body.length;
    await eventually(
      () => t.metrics(),
      new RegExp(`mcproxy_l4_bytes_total\\{route="fast.example.test",direction="up"\\} ${up}`),
    );
  });

  it("leaves wildcards, PROXY-header routes, L7 and unknown names to JS", async () => {
    const before = hits();
    const wild = hellos.get("a.wild.example.test") as Buffer;
    assert.deepEqual((await exchange(t.port("in"), wild)).data, wild);
    const pp = await exchange(t.port("in"), hellos.get("pp.example.test") as Buffer);
    assert.match(pp.data.toString("latin1"), /^PROXY TCP4 127\.0\.0\.1 127\.0\.0\.1 /);
    const unknown = await exchange(t.port("in"), hellos.get("nope.example.test") as Buffer, {
      keepOpen: true,
    });
    assert.deepEqual(unknown.data, ALERT_UNRECOGNIZED_NAME);
    // The ClientHello spread over several records: the JS parser reassembles it.
    const split = splitIntoRecords(hellos.get("fast.example.test") as Buffer, 100);
    assert.deepEqual((await exchange(t.port("in"), split)).data, split);
    assert.equal(hits(), before);
  });

  it("turns off while a firewall rule needs a per-connection decision, and back on", async () => {
    const hello = hellos.get("fast.example.test") as Buffer;
    await apply({ deny: ["127.0.0.5"] });
    const before = hits();
    const blocked = await exchange(t.port("in"), hello, { local: "127.0.0.5", keepOpen: true });
    assert.equal(blocked.error, "ECONNRESET");
    assert.deepEqual((await exchange(t.port("in"), hello)).data, hello);
    assert.equal(hits(), before);
    await apply({ connRate: { rate: 0.001, burst: 1 } });
    await exchange(t.port("in"), hello);
    const limited = await exchange(t.port("in"), hello, { keepOpen: true });
    assert.equal(limited.error, "ECONNRESET");
    assert.equal(hits(), before);
    // apply() resolves once every I/O thread uses the new table: the next connection is fast.
    await apply({});
    await exchange(t.port("in"), hello);
    assert.equal(hits(), before + 1);
  });

  it("resets deny-listed networks at accept, allow entries winning (IPv4 and IPv6)", async () => {
    const hello = hellos.get("fast.example.test") as Buffer;
    await apply({ deny: ["127.0.1.0/24", "::1/127"], allow: ["127.0.1.7"] });
    const silent = { keepOpen: true };
    const inPort = t.port("in");
    assert.equal(
      (await exchange(inPort, Buffer.alloc(0), { ...silent, local: "127.0.1.9" })).error,
      "ECONNRESET",
    );
    assert.deepEqual((await exchange(inPort, hello, { local: "127.0.1.7" })).data, hello);
    assert.deepEqual((await exchange(inPort, hello, { local: "127.0.2.9" })).data, hello);
    const v6 = await exchange(t.port("v6"), Buffer.alloc(0), { ...silent, host: "::1" });
    assert.equal(v6.error, "ECONNRESET");
    await eventually(() => t.metrics(), /mcproxy_firewall_drops_total\{reason="deny_ip"\} [3-9]/);
    // IPv4 peers meet IPv6 entries in their mapped form, as in the JS firewall (node:net
    // BlockList): an allow entry covering ::ffff:0:0/96 lets a deny-listed IPv4 peer through.
    await apply({ deny: ["127.0.1.0/24"], allow: ["::ffff:0:0/96"] });
    assert.deepEqual((await exchange(inPort, hello, { local: "127.0.1.9" })).data, hello);
    await apply({ deny: ["::ffff:127.0.1.0/120"] });
    assert.equal(
      (await exchange(inPort, Buffer.alloc(0), { ...silent, local: "127.0.1.9" })).error,
      "ECONNRESET",
    );
    await apply({});
  });

  it("follows route changes", async () => {
    const hello = hellos.get("fast.example.test") as Buffer;
    await apply(
      {},
      routes.filter((r) => r.hostname !== "fast.example.test"),
    );
    const gone = await exchange(t.port("in"), hello, { keepOpen: true });
    assert.deepEqual(gone.data, ALERT_UNRECOGNIZED_NAME);
    await apply({});
    assert.deepEqual((await exchange(t.port("in"), hello)).data, hello);
  });

  it("never names a different host than the JS parser (differential fuzz)", () => {
    const addon = t.engine.native?.addon;
    assert.ok(addon);
    const seed = fuzzSeed();
    const r = rng(seed);
    let named = 0;
    const check = (b: Buffer) => {
      const n = addon.fastSni(b);
      if (n === null) return;
      named++;
      const js = parseClientHello(b);
      const where = `${b.toString("hex")}, ${replayHint(seed)}`;
      assert.equal(js.kind, "ok", `native named ${n}, JS said ${js.kind}: ${where}`);
      assert.ok(js.kind === "ok" && js.sni !== undefined && normalizeHostname(js.sni) === n, where);
    };
    for (const [name, h] of hellos) {
      assert.equal(addon.fastSni(h), name, "a real ClientHello takes the fast path");
      assert.equal(addon.fastSni(splitIntoRecords(h, 64)), null);
      const upper = Buffer.from(h);
      const at = upper.indexOf(name, 0, "latin1");
      upper.write(name.toUpperCase(), at, "latin1");
      assert.equal(addon.fastSni(upper), name, "names are matched case-insensitively");
    }
    const samples = [...hellos.values()];
    for (let i = 0; i < 4000; i++) {
      const base = samples[i % samples.length] as Buffer;
      check(i % 10 === 0 ? r.bytes(r.int(600)) : mutate(r, base));
    }
    assert.ok(named > 0, replayHint(seed));
  });
});
