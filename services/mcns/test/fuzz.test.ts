// Random and mutated packets never crash the server or stop it answering. Seeded: MC_FUZZ_SEED
// replays a run (the seed is in every failure message).

import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import { after, before, test } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { RR } from "../src/dns/constants.ts";
import { DnsFormatError } from "../src/dns/errors.ts";
import { buildQuery, parseMessage } from "../src/dns/message.ts";
import { loadTestZone, startTestMcns, type TestMcns } from "./helpers/mcns.ts";
import { ensureUdpAddon, UDP_IOS } from "./helpers/native.ts";
import { udpExchange } from "./helpers/udp.ts";

let h: TestMcns;
const byIo = new Map<string, TestMcns>();
before(async () => {
  ensureUdpAddon();
  for (const io of UDP_IOS) {
    const m = await startTestMcns({ dns: { udp_io: io } }, { noApi: true });
    loadTestZone(m);
    byIo.set(io, m);
  }
  h = byIo.get("native")!;
});
after(async () => {
  for (const m of byIo.values()) await m.stop();
});

const seed = fuzzSeed();
const random = rng(seed);
const rnd = random.int;
const randomBytes = random.bytes;

const NAMES = ["mcq", "www", "big", "x.apps", "nope", "@", "ent.x", "host.sub", "120", "private"];
const TYPES = [
  RR.A,
  RR.AAAA,
  RR.MX,
  RR.TXT,
  RR.SRV,
  RR.CNAME,
  RR.NS,
  RR.SOA,
  RR.PTR,
  RR.CAA,
  RR.ANY,
  65400,
  999,
];

function validQuery(): Buffer {
  const n = NAMES[rnd(NAMES.length)]!;
  const name = n === "@" ? "svc.mcp.metacircular.net." : `${n}.svc.mcp.metacircular.net.`;
  const opts: { rd?: boolean; edns?: number } = { rd: rnd(2) === 0 };
  if (rnd(2)) opts.edns = 512 + rnd(4000);
  return buildQuery(rnd(65536), name, TYPES[rnd(TYPES.length)]!, opts);
}

function mutate(p: Buffer): Buffer {
  const b = Buffer.from(p);
  const ops = 1 + rnd(6);
  for (let i = 0; i < ops; i++) {
    switch (rnd(5)) {
      case 0:
        b[rnd(b.length)] = rnd(256);
        break;
      case 1:
        b[rnd(b.length)]! ^= 1 << rnd(8);
        break;
      case 2:
        return b.subarray(0, rnd(b.length + 1));
      case 3:
        return Buffer.concat([b, randomBytes(rnd(64))]);
      default:
        b.writeUInt16BE(rnd(65536), 2 * rnd(6)); // header counts and flags
    }
  }
  return b;
}

test("the responder survives thousands of random and mutated packets in-process", () => {
  for (let i = 0; i < 20_000; i++) {
    const pkt = i % 4 === 0 ? randomBytes(rnd(600)) : mutate(validQuery());
    const out = h.responder.handle(pkt, i % 2 ? "udp" : "tcp");
    if (out && Buffer.isBuffer(out)) {
      const where = `${pkt.toString("hex")}, ${replayHint(seed)}`;
      assert.ok(out.length >= 12, where);
      assert.ok(out.length <= (i % 2 ? 4096 : 65535), where);
      // Every response we produce must itself parse.
      try {
        parseMessage(out);
      } catch (e) {
        assert.ok(e instanceof DnsFormatError, where);
        assert.fail(`unparsable response to ${where}`);
      }
    }
  }
});

for (const io of UDP_IOS)
  test(`the UDP (${io}) and TCP listeners keep answering after a packet storm`, async () => {
    const h = byIo.get(io)!;
    assert.equal(h.udpIo, io);
    await storm(h);
  });

async function storm(h: TestMcns): Promise<void> {
  const s = dgram.createSocket("udp4");
  for (let i = 0; i < 3000; i++) {
    const pkt = i % 3 === 0 ? randomBytes(rnd(512)) : mutate(validQuery());
    s.send(pkt, h.dnsPort, "127.0.0.1");
    if (i % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 200));
  s.close();
  // Garbage on TCP: random frames and a lying length prefix.
  await new Promise<void>((resolve) => {
    const c = net.connect({ port: h.dnsTcpPort, host: "127.0.0.1" }, () => {
      for (let i = 0; i < 200; i++) {
        const p = mutate(validQuery());
        const f = Buffer.alloc(2 + p.length);
        f.writeUInt16BE(p.length);
        p.copy(f, 2);
        c.write(f);
      }
      c.write(Buffer.from([0xff, 0xff, 1, 2, 3]));
      c.end();
    });
    c.on("data", () => {});
    c.on("close", () => resolve());
    c.on("error", () => resolve());
  });
  const resp = await udpExchange(h.dnsPort, buildQuery(77, "mcq.svc.mcp.metacircular.net.", RR.A));
  assert.ok(resp, `server still answers, ${replayHint(seed)}`);
  assert.equal(parseMessage(resp).answers.length, 1, replayHint(seed));
}
