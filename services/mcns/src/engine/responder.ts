// The transport-independent query handler: validates the query, serves pre-encoded authoritative
// answers, builds them on a miss, hands out-of-zone names to the forwarder (or REFUSES them).

import { CLASS_ANY, CLASS_IN, FLAG, OPCODE, RCODE, RR } from "../dns/constants.ts";
import { DnsFormatError } from "../dns/errors.ts";
import { buildMessage } from "../dns/message.ts";
import { lowerName } from "../dns/name.ts";
import { type IncomingQuery, parseQuery, questionName } from "../dns/query.ts";
import { lookup, type ZoneFinder } from "../zone/lookup.ts";
import type { Zone } from "../zone/zone.ts";
import { AnswerCache, questionKind } from "./answer-cache.ts";
import { errorResponse, OPT_LEN, patchResponse } from "./patch.ts";
import { QueryStats } from "./stats.ts";
import type { ZoneRegistry } from "./zone-registry.ts";

export type Transport = "udp" | "tcp";

export interface Forwarder {
  forward(q: IncomingQuery, query: Buffer, qname: string): Promise<Buffer>;
}

export interface ResponderOptions {
  /** Largest UDP payload we send with EDNS (RFC 9715 suggests 1232). */
  maxUdpSize?: number;
  forwarder?: Forwarder;
  cacheEntries?: number;
  onQuery?: (info: { qname: string; qtype: number; rcode: number; transport: Transport }) => void;
}

export type Reply = Buffer | null | Promise<Buffer | null>;

export class Responder {
  readonly cache: AnswerCache;
  readonly stats = new QueryStats();
  private readonly maxUdp: number;
  /** Transport of the query being handled synchronously (for the query log). */
  private transport: Transport = "udp";
  private readonly findZone: ZoneFinder;

  constructor(
    readonly zones: ZoneRegistry,
    private readonly opts: ResponderOptions = {},
  ) {
    this.cache = new AnswerCache(opts.cacheEntries);
    this.maxUdp = opts.maxUdpSize ?? 1232;
    zones.onChange(() => this.cache.clear());
    this.findZone = (name, qtype) => zones.findFor(name, qtype);
  }

  setForwarder(f: Forwarder): void {
    this.opts.forwarder = f;
  }

  get forwarding(): boolean {
    return this.opts.forwarder !== undefined;
  }

  /** Handles one DNS message; null means "send nothing" (responses, garbage too short to answer). */
  handle(buf: Buffer, transport: Transport): Reply {
    this.transport = transport;
    if (buf.length < 12 || (buf[2]! & 0x80) !== 0) {
      this.stats.malformed++;
      return null;
    }
    let q: IncomingQuery;
    try {
      q = parseQuery(buf);
    } catch (e) {
      if (!(e instanceof DnsFormatError)) throw e;
      this.stats.malformed++;
      return errorResponse(buf, RCODE.FORMERR, 12);
    }
    const refused = this.screen(buf, q);
    if (refused !== null) return refused;
    const limit = transport === "tcp" ? 65535 : this.udpLimit(q);
    const kind = questionKind(q.qtype, q.qclass);
    const cached = this.cache.get(kind, q.keyName);
    if (cached) {
      this.stats.cacheHits++;
      return this.finish(q, patchResponse(cached, q, buf, limit, this.maxUdp), cached[3]! & 0xf);
    }
    this.stats.cacheMisses++;
    return this.miss(buf, q, kind, limit, transport);
  }

  /** The error answer for a query no lookup serves (opcode, count, EDNS version, class, type). */
  private screen(buf: Buffer, q: IncomingQuery): Buffer | null {
    if (q.opcode !== OPCODE.QUERY)
      return this.finish(q, errorResponse(buf, RCODE.NOTIMP, q.questionEnd), RCODE.NOTIMP);
    if (q.qdcount !== 1)
      return this.finish(q, errorResponse(buf, RCODE.FORMERR, 12), RCODE.FORMERR);
    if (q.edns && q.edns.version !== 0)
      return this.finish(q, this.badVersion(buf, q), RCODE.BADVERS);
    // Other classes, and zone transfers (the TCP server handles those before reaching here).
    if (
      (q.qclass !== CLASS_IN && q.qclass !== CLASS_ANY) ||
      q.qtype === RR.AXFR ||
      q.qtype === RR.IXFR ||
      q.qtype === RR.OPT
    )
      return this.finish(
        q,
        this.withOpt(errorResponse(buf, RCODE.REFUSED, q.questionEnd), q),
        RCODE.REFUSED,
      );
    return null;
  }

  /** Not in the answer cache: build it from our zones, or forward, or refuse. */
  private miss(
    buf: Buffer,
    q: IncomingQuery,
    kind: number,
    limit: number,
    transport: Transport,
  ): Reply {
    const qname = questionName(buf);
    const lname = lowerName(qname);
    const zone = this.zones.findFor(lname, q.qtype);
    if (zone) {
      const built = this.authoritative(zone, lname, q);
      this.cache.set(kind, q.keyName, built);
      const out = patchResponse(built, q, buf, limit, this.maxUdp);
      return this.finish(q, out, built[3]! & 0xf, qname, transport);
    }
    const fwd = this.opts.forwarder;
    if (!fwd) {
      const out = this.withOpt(errorResponse(buf, RCODE.REFUSED, q.questionEnd), q);
      return this.finish(q, out, RCODE.REFUSED, qname, transport);
    }
    return this.forward(fwd, buf, q, qname, limit, transport);
  }

  private forward(
    fwd: Forwarder,
    buf: Buffer,
    q: IncomingQuery,
    qname: string,
    limit: number,
    transport: Transport,
  ): Promise<Buffer | null> {
    const started = process.hrtime.bigint();
    // The forwarder answers later; the datagram may live in a receive buffer that is reused by
    // then (the batched UDP path), so the query bytes are copied first.
    const query = Buffer.from(buf);
    return fwd.forward(q, query, qname).then(
      (resp) => {
        this.stats.observe(Number(process.hrtime.bigint() - started) / 1e9);
        const out = resp.length > limit ? this.withOpt(truncate(resp, q), q) : resp;
        return this.finish(q, out, out[3]! & 0xf, qname, transport);
      },
      () => {
        const out = this.withOpt(errorResponse(query, RCODE.SERVFAIL, q.questionEnd), q);
        out[3] = out[3]! | (FLAG.RA & 0xff);
        return this.finish(q, out, RCODE.SERVFAIL, qname, transport);
      },
    );
  }

  /**
   * The pre-encoded answer from our data (ID 0, lowercase question). QCLASS=* (RFC 1035 §6.2)
   * is answered as NSD does: the IN data without AA, and no SOA in the authority section.
   */
  private authoritative(zone: Zone, lname: string, q: IncomingQuery): Buffer {
    const a = lookup(zone, lname, q.qtype, this.findZone);
    const anyClass = q.qclass === CLASS_ANY;
    return buildMessage({
      id: 0,
      flags:
        FLAG.QR | (a.aa && !anyClass ? FLAG.AA : 0) | (this.forwarding ? FLAG.RA : 0) | a.rcode,
      question: { name: lname, type: q.qtype, class: q.qclass },
      answer: a.answer,
      authority: anyClass ? a.authority.filter((r) => r.type !== RR.SOA) : a.authority,
      additional: a.additional,
    });
  }

  udpLimit(q: IncomingQuery): number {
    if (!q.edns) return 512;
    return Math.min(Math.max(512, q.edns.udpSize), this.maxUdp);
  }

  private finish(
    q: IncomingQuery,
    out: Buffer,
    rcode: number,
    qname?: string,
    transport: Transport = this.transport,
  ): Buffer {
    this.stats.count(q.qtype, rcode);
    if (this.opts.onQuery)
      this.opts.onQuery({
        qname: qname ?? questionNameSafe(out),
        qtype: q.qtype,
        rcode,
        transport,
      });
    return out;
  }

  private withOpt(resp: Buffer, q: IncomingQuery): Buffer {
    if (!q.edns) return resp;
    const out = Buffer.alloc(resp.length + OPT_LEN);
    resp.copy(out);
    const p = resp.length;
    out.writeUInt16BE(RR.OPT, p + 1);
    out.writeUInt16BE(this.maxUdp, p + 3);
    if (q.edns.dnssecOk) out[p + 7] = 0x80; // DO echoed (RFC 3225 §3)
    out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
    return out;
  }

  private badVersion(buf: Buffer, q: IncomingQuery): Buffer {
    const resp = this.withOpt(errorResponse(buf, 0, q.questionEnd), q);
    resp[resp.length - OPT_LEN + 5] = RCODE.BADVERS >> 4; // extended RCODE high bits
    return resp;
  }
}

function questionNameSafe(buf: Buffer): string {
  try {
    return questionName(buf);
  } catch {
    return "?";
  }
}

/** Forwarded response too large for the client's UDP limit: header + question with TC. */
function truncate(resp: Buffer, q: IncomingQuery): Buffer {
  const out = Buffer.from(resp.subarray(0, q.questionEnd));
  out[2] = out[2]! | 0x02;
  out.fill(0, 6, 12);
  return out;
}
