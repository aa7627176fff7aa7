// Outgoing zone transfers (RFC 5936): SOA, every record, SOA again, packed into TCP messages of
// up to ~16 KiB. IXFR requests (RFC 1995) are answered with incremental changes from the journal
// when it covers the client's serial, otherwise with a full transfer (which RFC 1995 allows).

import type net from "node:net";
import { FLAG, RCODE, RR } from "../dns/constants.ts";
import { parseMessage, type ResourceRecord, writeRecord } from "../dns/message.ts";
import { lowerName } from "../dns/name.ts";
import { WireWriter } from "../dns/writer.ts";
import { frame } from "../dnsserver/tcp-server.ts";
import { errorResponse } from "../engine/patch.ts";
import type { ZoneRegistry } from "../engine/zone-registry.ts";
import type { Zone } from "../zone/zone.ts";
import { signResponses, type TsigKey, type VerifiedTsig, verifyRequest } from "./tsig.ts";

const MAX_MESSAGE = 16_000;

export interface XfrDeps {
  registry: ZoneRegistry;
  allowed(address: string): boolean;
  /** TSIG keys accepted on transfer requests; signed requests get signed responses. */
  tsigKeys?: TsigKey[];
  /** Refuse unsigned transfer requests even from allowed addresses. */
  requireTsig?: boolean;
  /** Journal diff from `serial` to the current serial, or undefined when not covered. */
  incremental?(zone: Zone, serial: number): ResourceRecord[] | undefined;
  onTransfer?(info: {
    zone: string;
    peer: string;
    kind: string;
    records: number;
    tsig: string | null;
  }): void;
}

export function handleXfr(deps: XfrDeps, query: Buffer, qtype: number, sock: net.Socket): boolean {
  let msg: ReturnType<typeof parseMessage>;
  try {
    msg = parseMessage(query);
  } catch {
    sock.write(frame(errorResponse(query, RCODE.FORMERR, 12)));
    return true;
  }
  const q = msg.questions[0];
  if (!q || msg.questions.length !== 1) {
    sock.write(frame(errorResponse(query, RCODE.FORMERR, 12)));
    return true;
  }
  const qEnd = query.indexOf(0, 12) + 5;
  let signed: VerifiedTsig | undefined;
  try {
    signed = verifyRequest(query, msg, deps.tsigKeys ?? []);
  } catch {
    // Bad key, signature or time: NOTAUTH (RFC 8945 §5.2), unsigned.
    sock.write(frame(errorResponse(query, RCODE.NOTAUTH, qEnd)));
    return true;
  }
  if (!deps.allowed(sock.remoteAddress ?? "") || (deps.requireTsig && !signed)) {
    sock.write(frame(errorResponse(query, RCODE.REFUSED, qEnd)));
    return true;
  }
  const zone = deps.registry.get(lowerName(q.name));
  if (!zone) {
    sock.write(frame(errorResponse(query, RCODE.NOTAUTH, qEnd)));
    return true;
  }
  let records: ResourceRecord[] | undefined;
  let kind = "AXFR";
  if (qtype === RR.IXFR) {
    const soa = msg.authority.find((r) => r.type === RR.SOA);
    if (soa) {
      const clientSerial = query.readUInt32BE(soa.rdOffset + soa.rdLength - 20);
      if (clientSerial === zone.serial)
        records = [zone.negativeSoa()]; // up to date: just SOA
      else records = deps.incremental?.(zone, clientSerial);
      if (records) kind = "IXFR";
    }
  }
  if (!records) {
    const all = zone.allRecords();
    records = [...all, all[0]!];
  }
  const messages = pack(msg.id, q.name, qtype, records);
  for (const m of signed ? signResponses(messages, signed) : messages) sock.write(frame(m));
  deps.onTransfer?.({
    zone: zone.origin,
    peer: sock.remoteAddress ?? "",
    kind,
    records: records.length,
    tsig: signed?.key.name ?? null,
  });
  return true;
}

function pack(id: number, qname: string, qtype: number, records: ResourceRecord[]): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  while (i < records.length) {
    const w = new WireWriter(MAX_MESSAGE + 1024);
    w.u16(id);
    w.u16(FLAG.QR | FLAG.AA);
    const first = out.length === 0;
    w.u16(first ? 1 : 0);
    const countAt = w.pos;
    w.u16(0);
    w.u16(0);
    w.u16(0);
    if (first) {
      w.name(qname);
      w.u16(qtype);
      w.u16(1);
    }
    let n = 0;
    while (i < records.length && (n === 0 || w.pos < MAX_MESSAGE)) {
      writeRecord(w, records[i]!);
      i++;
      n++;
    }
    w.setU16(countAt, n);
    out.push(w.finish());
  }
  return out;
}
