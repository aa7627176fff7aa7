import assert from "node:assert/strict";
import dgram from "node:dgram";
import { after, before, test } from "node:test";
import { silentLogger } from "@metacircular/mcdsl/log";
import { ensureUdpAddon, UDP_IOS } from "../../test/helpers/native.ts";
import { udpExchange } from "../../test/helpers/udp.ts";
import { RR } from "../dns/constants.ts";
import { buildQuery, parseMessage, recordText } from "../dns/message.ts";
import { Responder } from "../engine/responder.ts";
import { ZoneRegistry } from "../engine/zone-registry.ts";
import { parseMasterFile } from "../zone/master-file.ts";
import { Zone } from "../zone/zone.ts";
import { startUdp, type UdpServer } from "./udp-server.ts";

const ORIGIN = "unit.test.";
const log = silentLogger();
let responder: Responder;
const servers: UdpServer[] = [];

before(() => {
  ensureUdpAddon();
  const p = parseMasterFile(
    `$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 60\n@ IN NS ns1\nns1 IN A 10.0.0.1\n` +
      Array.from({ length: 50 }, (_, i) => `h${i} IN A 10.1.0.${i}\n`).join(""),
    ORIGIN,
  );
  const s = p.soa!;
  const reg = new ZoneRegistry();
  reg.set(
    new Zone(
      ORIGIN,
      {
        primaryNs: s.primary_ns,
        adminEmail: s.admin_email,
        serial: s.serial,
        refresh: s.refresh,
        retry: s.retry,
        expire: s.expire,
        minimum: s.minimum,
        ttl: s.ttl,
      },
      p.records,
    ),
  );
  responder = new Responder(reg);
});
after(async () => {
  for (const s of servers) await s.close();
});

async function start(opts: Parameters<typeof startUdp>[3]): Promise<UdpServer> {
  const s = await startUdp("127.0.0.1:0", responder, log, opts);
  servers.push(s);
  return s;
}

test("auto falls back to node:dgram when the addon is missing; native then refuses to start", async () => {
  const missing = () => ({ error: "not built (test)" });
  const s = await start({ io: "auto", loadAddon: missing });
  assert.equal(s.io, "dgram");
  const r = (await udpExchange(s.port, buildQuery(1, `h1.${ORIGIN}`, RR.A)))!;
  assert.equal(recordText(r, parseMessage(r).answers[0]!), "10.1.0.1");
  await assert.rejects(start({ io: "native", loadAddon: missing }), /not built \(test\)/);
});

test("auto picks the batched path when the addon is built", async () => {
  assert.equal((await start({ io: "auto" })).io, "native");
});

for (const io of UDP_IOS)
  test(`${io}: a burst larger than one batch, mixed with garbage, is answered query by query`, async () => {
    const s = await start({ io });
    assert.equal(s.io, io);
    const c = dgram.createSocket("udp4");
    const N = 400;
    const got = new Map<number, Buffer>();
    c.on("message", (m) => {
      if (m.readUInt16BE(0) < N) got.set(m.readUInt16BE(0), m);
    });
    await new Promise<void>((r) => c.bind(0, "127.0.0.1", () => r()));
    const malformedBefore = responder.stats.malformed;
    for (let i = 0; i < N; i++) {
      c.send(buildQuery(i, `h${i % 50}.${ORIGIN}`, RR.A, i % 2 ? { edns: 1232 } : {}), s.port);
      if (i % 7 === 0) c.send(Buffer.from([0xff, 0xff, 0x80, 0, 1]), s.port); // garbage: no reply
      if (i % 100 === 0) c.send(Buffer.alloc(6000, 0x41), s.port); // oversize datagram
      // Chunks of 70 (more than one 64-datagram batch), then wait for their replies: the
      // client's default receive buffer holds only ~100 small datagrams.
      if (i % 70 === 69 || i === N - 1)
        for (let w = 0; w < 100 && got.size <= i; w++) await new Promise((r) => setTimeout(r, 5));
    }
    c.close();
    const missing = [];
    for (let i = 0; i < N; i++) if (!got.has(i)) missing.push(i);
    assert.deepEqual(missing, []);
    for (let i = 0; i < N; i++) {
      const r = got.get(i)!;
      const m = parseMessage(r);
      assert.equal(m.answers.length, 1);
      assert.equal(recordText(r, m.answers[0]!), `10.1.0.${i % 50}`);
      assert.equal(m.edns !== undefined, i % 2 === 1);
    }
    assert.ok(responder.stats.malformed > malformedBefore);
  });
