// Differential test of everything a client can vary in one question (issue #12 item 1): classes
// (IN, ANY, CH, HS), 0x20 case variants, EDNS presence/size/DO, RD and CD, interleaved in a
// seeded random order on the same names so that every answer-cache entry is hit by the other
// variants. mcns and NSD serve the same three zones (cross-zone CNAMEs, DS at cuts, minimal ANY
// included); every response's question must be the client's own bytes, and rcode, flags, all
// sections and OPT must match NSD's. Replay a run with MC_FUZZ_SEED=<seed>.

import assert from "node:assert/strict";
import dgram from "node:dgram";
import { after, before, test } from "node:test";
import { CLASS_ANY, CLASS_IN, RR } from "../src/dns/constants.ts";
import { startTestMcns, type TestMcns, ZONE } from "./helpers/mcns.ts";
import { CHILD, exportedZones, loadMultiZones, OTHER } from "./helpers/multi-zone.ts";
import { type NsdHandle, startNsd } from "./helpers/nsd.ts";
import {
  encodeQuery,
  normalise,
  prng,
  questionBytes,
  type RawQuery,
  randomCase,
} from "./helpers/raw-query.ts";
import { tcpExchange } from "./helpers/udp.ts";

const CLASS_CH = 3;
const CLASS_HS = 4;
const TYPE_DS = 43;

let mcns: TestMcns;
let nsd: NsdHandle;

before(async () => {
  mcns = await startTestMcns({}, { noApi: true });
  loadMultiZones(mcns);
  nsd = await startNsd(exportedZones(mcns));
});
after(async () => {
  await nsd?.stop();
  await mcns?.stop();
});

const NAMES = [
  ...[
    "",
    "mail.",
    "mcq.",
    "www.",
    "outside.",
    "big.",
    "a.apps.",
    "nope.",
    "ent.x.",
    "sub.",
    "host.sub.",
    "x.sub.",
    "secure.",
    "unsigned.",
    "tocross.",
    "tomissing.",
    "tochild.",
    "toloop.",
    "m1.",
    "m2.",
    "m3.",
    "m4.",
    "_https._tcp.",
    "zig0.",
  ].map((n) => `${n}${ZONE}.`),
  `back.${CHILD}.`,
  `${OTHER}.`,
  `c.${OTHER}.`,
  `back.${OTHER}.`,
  `l1.${OTHER}.`,
  `zig1.${OTHER}.`,
];
const TYPES = [RR.A, RR.AAAA, RR.TXT, RR.MX, RR.NS, RR.SOA, RR.CNAME, TYPE_DS, RR.ANY];
const CLASSES = [CLASS_IN, CLASS_IN, CLASS_ANY, CLASS_ANY, CLASS_CH, CLASS_HS];
const EDNS = [undefined, 512, 1232, 4096];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

function querySet(seed: number, count: number): RawQuery[] {
  const rnd = prng(seed);
  // The reproduction first: class ANY, then IN, for the same name and type.
  const out: RawQuery[] = [
    { id: 1, name: `mail.${ZONE}.`, type: RR.A, klass: CLASS_ANY },
    { id: 2, name: `mail.${ZONE}.`, type: RR.A },
    { id: 3, name: `MAIL.${ZONE}.`, type: RR.A, edns: 1232 },
  ];
  while (out.length < count) {
    const edns = pick(rnd, EDNS);
    const q: RawQuery = {
      id: out.length + 1,
      name: randomCase(pick(rnd, NAMES), rnd),
      type: pick(rnd, TYPES),
      klass: pick(rnd, CLASSES),
      rd: rnd() < 0.5,
      cd: rnd() < 0.2,
    };
    if (edns !== undefined) {
      q.edns = edns;
      q.dnssecOk = rnd() < 0.3;
    }
    out.push(q);
  }
  return out;
}

/**
 * One UDP socket per server; queries one at a time, a reply matched by ID or null on timeout. Every
 * query must be answered, so the timeout only bounds a loaded machine's delay.
 */
async function udpAll(port: number, queries: Buffer[]): Promise<Array<Buffer | null>> {
  const s = dgram.createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  const out: Array<Buffer | null> = [];
  try {
    for (const q of queries) {
      const id = q.readUInt16BE(0);
      out.push(
        await new Promise<Buffer | null>((resolve) => {
          const onMsg = (m: Buffer) => {
            if (m.length < 2 || m.readUInt16BE(0) !== id) return;
            done(m);
          };
          const t = setTimeout(() => done(null), 10_000);
          const done = (m: Buffer | null) => {
            clearTimeout(t);
            s.off("message", onMsg);
            resolve(m);
          };
          s.on("message", onMsg);
          s.send(q, port, "127.0.0.1");
        }),
      );
    }
  } finally {
    s.close();
  }
  return out;
}

/** Pipelined over TCP, 100 queries per connection; replies matched by ID. */
async function tcpAll(port: number, queries: Buffer[]): Promise<Array<Buffer | null>> {
  const out: Array<Buffer | null> = [];
  for (let i = 0; i < queries.length; i += 100) {
    const chunk = queries.slice(i, i + 100);
    const replies = await tcpExchange(port, chunk, chunk.length, 30_000);
    const byId = new Map(replies.map((r) => [r.readUInt16BE(0), r]));
    for (const q of chunk) out.push(byId.get(q.readUInt16BE(0)) ?? null);
  }
  return out;
}

interface Tally {
  compared: number;
  questionMismatches: string[];
  answerMismatches: string[];
}

function check(q: RawQuery, wire: Buffer, a: Buffer | null, b: Buffer | null, t: Tally): void {
  const what = `${q.name} type ${q.type} class ${q.klass ?? 1} edns ${q.edns ?? "-"}${q.dnssecOk ? " do" : ""}${q.rd ? " rd" : ""}${q.cd ? " cd" : ""}`;
  t.compared++;
  const asked = questionBytes(wire);
  if (!a) {
    t.questionMismatches.push(`${what}: no answer from mcns`);
    return;
  }
  if (a.readUInt16BE(4) !== 1 || !questionBytes(a).equals(asked)) {
    t.questionMismatches.push(`${what}: mcns question ${questionBytes(a).toString("hex")}`);
    return;
  }
  if (!b) {
    t.answerMismatches.push(`${what}: no answer from NSD`);
    return;
  }
  // NSD drops the question of a REFUSED query in a class it does not know (HS); mcns echoes it.
  const nsdEchoes = (q.klass ?? 1) !== CLASS_HS;
  if (nsdEchoes && (b.readUInt16BE(4) !== 1 || !questionBytes(b).equals(asked)))
    t.answerMismatches.push(`${what}: NSD question ${questionBytes(b).toString("hex")}`);
  const [na, nb] = [normalise(a), normalise(b)];
  // NSD runs with minimal-responses: no additional addresses for MX/SRV targets in positive
  // answers, where mcns adds them (RFC 1035 §3.3.9). Referral glue is compared.
  if (na.answer.length > 0) {
    na.additional = [];
    nb.additional = [];
  }
  // Truncated (TC): NSD keeps the RRsets that fit, mcns sends empty sections; either way the
  // client retries over TCP (RFC 2181 §9), where the full answers are compared.
  if (na.flags.includes("tc") && nb.flags.includes("tc"))
    for (const n of [na, nb]) n.answer = n.authority = n.additional = [];
  const da = JSON.stringify(na);
  const db = JSON.stringify(nb);
  if (da !== db) t.answerMismatches.push(`${what}:\n  mcns ${da}\n  nsd  ${db}`);
}

for (const transport of ["udp", "tcp"] as const) {
  test(`classes, case, EDNS and flags interleaved: mcns echoes every question and matches NSD (${transport})`, async (t) => {
    const seed = Number(process.env.MC_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const queries = querySet(seed, 1500);
    const wires = queries.map(encodeQuery);
    const run = transport === "udp" ? udpAll : tcpAll;
    const [a, b] = await Promise.all([run(mcns.dnsPort, wires), run(nsd.port, wires)]);
    const tally: Tally = { compared: 0, questionMismatches: [], answerMismatches: [] };
    for (const [i, q] of queries.entries()) check(q, wires[i]!, a[i]!, b[i]!, tally);
    const summary = `seed ${seed} (${transport}): ${tally.compared} queries compared, ${tally.questionMismatches.length} question mismatches, ${tally.answerMismatches.length} answer mismatches`;
    t.diagnostic(summary);
    console.log(summary);
    const show = [...tally.questionMismatches, ...tally.answerMismatches]
      .slice(0, Number(process.env.MCNS_DIFF_SHOW ?? 8))
      .join("\n");
    assert.equal(tally.questionMismatches.length, 0, `${summary}\n${show}`);
    assert.equal(tally.answerMismatches.length, 0, `${summary}\n${show}`);
  });
}
