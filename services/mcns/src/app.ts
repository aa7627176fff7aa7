// Assembles an mcns instance: database → zones in memory → DNS listeners (UDP+TCP) → forwarder →
// transfers/NOTIFY → REST API (and gRPC when configured), unless `[api] enabled = false`. DNS is
// served from memory, so it keeps answering when MCIAS, the API or the database writer are
// unavailable; an API port that cannot be bound is retried with back-off while DNS serves.

import { type Database, openDatabase } from "@metacircular/mcdsl/db";
import type { HttpServerHandle, TokenValidator } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import type { McnsConfig } from "./config.ts";
import { migrations } from "./db/migrations.ts";
import { RR } from "./dns/constants.ts";
import type { ResourceRecord } from "./dns/message.ts";
import { parseRdata } from "./dns/rdata.ts";
import { ResponseRateLimiter } from "./dnsserver/rate-limit.ts";
import { startTcp, type TcpServer, type XfrHook } from "./dnsserver/tcp-server.ts";
import { startUdp, type UdpServer } from "./dnsserver/udp-server.ts";
import { Responder } from "./engine/responder.ts";
import { ZoneRegistry } from "./engine/zone-registry.ts";
import { UpstreamForwarder } from "./forward/forwarder.ts";
import type { GrpcHandle } from "./grpcserver/serve.ts";
import { DnsStore } from "./records/dns-store.ts";
import type { ApiHandles } from "./server/start-api.ts";
import { aclAllows, buildAcl } from "./xfr/acl.ts";
import { handleXfr, type XfrDeps } from "./xfr/axfr.ts";
import { sendNotify } from "./xfr/notify.ts";
import { tsigKey } from "./xfr/tsig.ts";
import type { Zone } from "./zone/zone.ts";

export interface McnsOptions {
  logger: Logger;
  /** Token validator for the API; default an MCIAS AuthClient from [mcias]. */
  validator?: TokenValidator;
  /** Skip the HTTP/gRPC API (DNS only), as `[api] enabled = false` does. */
  noApi?: boolean;
}

export interface McnsHandle {
  dnsPort: number;
  dnsTcpPort: number;
  /** UDP path in use: batched (native addon) or node:dgram. */
  udpIo: "native" | "dgram";
  /** The REST listener while it is up (it may be retrying its port; DNS is up regardless). */
  readonly api: HttpServerHandle | undefined;
  readonly grpc: GrpcHandle | undefined;
  /** Supervised API listeners; undefined when the API is disabled. */
  apiListeners?: ApiHandles;
  store: DnsStore;
  responder: Responder;
  forwarder?: UpstreamForwarder;
  db: Database;
  close(): Promise<void>;
}

export async function startMcns(cfg: McnsConfig, opts: McnsOptions): Promise<McnsHandle> {
  const log = opts.logger;
  const apiEnabled = cfg.api.enabled && !opts.noApi;
  if (apiEnabled && !opts.validator && !cfg.mcias)
    throw new Error(
      "[mcias] is required for the API; for a DNS-only server set [api] enabled = false",
    );
  const engine = buildEngine(cfg, log);
  const { registry, store, responder, forwarder, db } = engine;
  const rrl = new ResponseRateLimiter(cfg.dns.rate_limit, cfg.dns.rate_limit_slip);
  const dns = await bindDns(cfg, responder, log, { rrl, xfr: xfrHandler(cfg, engine, log) });
  if (dns.kind === "failed") {
    db.close();
    throw dns.error;
  }
  const { udps, tcps } = dns;

  let apiHandles: ApiHandles | undefined;
  if (apiEnabled) {
    const { startApi } = await import("./server/start-api.ts");
    apiHandles = await startApi({
      cfg,
      store,
      responder,
      forwarder,
      validator: opts.validator,
      log,
    });
  } else log.info({ api: "disabled" }, "API disabled ([api] enabled = false): serving DNS only");
  log.info(
    {
      dns: cfg.dns.listen_addr,
      dnsPort: udps[0]!.port,
      udpIo: udps[0]!.io,
      api: apiHandles ? (apiHandles.rest.handle()?.url ?? "retrying") : "disabled",
      zones: registry.list().length,
    },
    "mcns started",
  );
  return makeHandle(engine, udps, tcps, apiHandles);
}

interface Engine {
  db: Database;
  registry: ZoneRegistry;
  store: DnsStore;
  responder: Responder;
  forwarder: UpstreamForwarder | undefined;
}

/** Database → zones in memory → responder (and the forwarder when forwarding is on). */
function buildEngine(cfg: McnsConfig, log: Logger): Engine {
  const db = openDatabase(cfg.database.path, { migrations, logger: log });
  const registry = new ZoneRegistry();
  const store = new DnsStore(db, registry);
  store.loadAll();
  const queryLog = cfg.dns.query_log ? log.child({ component: "query" }) : undefined;
  const responderOpts: ConstructorParameters<typeof Responder>[1] = {
    maxUdpSize: cfg.dns.max_udp_size,
    cacheEntries: cfg.dns.answer_cache_entries,
  };
  if (queryLog) responderOpts.onQuery = (q) => queryLog.info(q, "query");
  const responder = new Responder(registry, responderOpts);
  let forwarder: UpstreamForwarder | undefined;
  if (cfg.forwarding.enabled) {
    const f = cfg.forwarding;
    forwarder = new UpstreamForwarder(
      {
        upstreams: f.upstreams,
        timeoutMs: f.timeout_ms,
        cacheEntries: f.cache_entries,
        maxTtl: f.max_ttl,
        staleSeconds: f.serve_stale_seconds,
        staleTtl: f.stale_ttl,
        staleAnswerMs: f.stale_answer_ms,
        maxUdpSize: cfg.dns.max_udp_size,
      },
      responder.stats,
    );
    responder.setForwarder(forwarder);
  }
  return { db, registry, store, responder, forwarder };
}

/** Zone transfers (AXFR/IXFR behind the ACL and TSIG) and NOTIFY on every commit. */
function xfrHandler(cfg: McnsConfig, engine: Engine, log: Logger): XfrHook {
  const { registry, store } = engine;
  const acl = buildAcl(cfg.transfer.allow);
  const tsigKeys = cfg.transfer.tsig_keys.map((k) => tsigKey(k.name, k.algorithm, k.secret));
  if (cfg.transfer.notify.length > 0) {
    store.onCommit((zone) => {
      for (const t of cfg.transfer.notify) void sendNotify(t, zone, log);
    });
  }
  const deps: XfrDeps = {
    registry,
    allowed: (a) => aclAllows(acl, a),
    tsigKeys,
    requireTsig: cfg.transfer.require_tsig,
    incremental: (zone, serial) => journalDiff(store, zone, serial),
    onTransfer: (i) => log.info(i, "zone transfer"),
  };
  return (query, qtype, sock) => handleXfr(deps, query, qtype, sock);
}

type DnsListeners =
  | { kind: "bound"; udps: UdpServer[]; tcps: TcpServer[] }
  | { kind: "failed"; error: unknown };

/**
 * UDP and TCP on every DNS address, the same port for both. With port 0 the UDP port the kernel
 * picked may be taken for TCP (busy machines use it for outgoing connections): the UDP socket is
 * released and the pair tried again. On failure nothing stays bound.
 */
async function bindDns(
  cfg: McnsConfig,
  responder: Responder,
  log: Logger,
  extra: { rrl: ResponseRateLimiter; xfr: XfrHook },
): Promise<DnsListeners> {
  const udps: UdpServer[] = [];
  const tcps: TcpServer[] = [];
  try {
    for (const addr of [cfg.dns.listen_addr, ...cfg.dns.extra_listen_addrs]) {
      for (let attempt = 0; ; attempt++) {
        const u = await startUdp(addr, responder, log, { rrl: extra.rrl, io: cfg.dns.udp_io });
        try {
          const t = await startTcp(addr.replace(/:\d+$/, `:${u.port}`), responder, log, {
            idleTimeoutMs: cfg.dns.tcp_idle_timeout_ms,
            maxConnections: cfg.dns.tcp_max_connections,
            xfr: extra.xfr,
          });
          udps.push(u);
          tcps.push(t);
          break;
        } catch (err) {
          await u.close();
          const inUse = (err as NodeJS.ErrnoException).code === "EADDRINUSE";
          if (!inUse || !/:0$/.test(addr) || attempt >= 20) throw err;
        }
      }
    }
    return { kind: "bound", udps, tcps };
  } catch (error) {
    for (const s of [...udps, ...tcps]) await s.close();
    return { kind: "failed", error };
  }
}

function makeHandle(
  engine: Engine,
  udps: UdpServer[],
  tcps: TcpServer[],
  apiHandles: ApiHandles | undefined,
): McnsHandle {
  const { store, responder, db, forwarder } = engine;
  let closed = false;
  const handle: McnsHandle = {
    dnsPort: udps[0]!.port,
    dnsTcpPort: tcps[0]!.port,
    udpIo: udps[0]!.io,
    get api() {
      return apiHandles?.rest.handle();
    },
    get grpc() {
      return apiHandles?.grpc?.handle();
    },
    store,
    responder,
    db,
    async close() {
      if (closed) return;
      closed = true;
      await apiHandles?.close();
      for (const s of [...udps, ...tcps]) await s.close();
      db.close();
    },
  };
  if (forwarder) handle.forwarder = forwarder;
  if (apiHandles) handle.apiListeners = apiHandles;
  return handle;
}

/** Condensed IXFR body from the journal, when the client's serial is a version we produced. */
function journalDiff(store: DnsStore, zone: Zone, serial: number): ResourceRecord[] | undefined {
  const row = store.q.zone(zone.key);
  if (!row) return undefined;
  const known = store.db
    .prepare("SELECT 1 FROM journal WHERE zone_id = ? AND serial = ? LIMIT 1")
    .get(row.id, serial);
  if (!known) return undefined;
  const rows = store.q.journalSince(row.id, serial);
  const net = new Map<string, { op: "add" | "del"; r: (typeof rows)[number] }>();
  for (const r of rows) {
    const k = `${r.name.toLowerCase()}|${r.type}|${r.value}`;
    const prev = net.get(k);
    if (prev && prev.op !== r.op) net.delete(k);
    else net.set(k, { op: r.op, r });
  }
  const rec = (r: (typeof rows)[number]): ResourceRecord => ({
    name: r.name,
    type: r.type,
    class: 1,
    ttl: r.ttl,
    rdata: parseRdata(r.type, r.value),
  });
  const soaNow = zone.allRecords()[0]!;
  const f = zone.soaFields;
  const oldSoa: ResourceRecord = {
    ...soaNow,
    rdata: parseRdata(
      RR.SOA,
      `${f.primaryNs} ${f.adminEmail} ${serial} ${f.refresh} ${f.retry} ${f.expire} ${f.minimum}`,
    ),
  };
  const dels = [...net.values()].filter((x) => x.op === "del").map((x) => rec(x.r));
  const adds = [...net.values()].filter((x) => x.op === "add").map((x) => rec(x.r));
  return [soaNow, oldSoa, ...dels, soaNow, ...adds, soaNow];
}
