// mcns.toml schema. DNS, forwarding and transfer sections are specific to mcns; the rest come
// from mcdsl. Environment overrides: MCNS_<SECTION>_<KEY>; $PORT → server.listen_addr,
// $PORT_GRPC → server.grpc_addr, $PORT_DNS → dns.listen_addr.

import {
  databaseSection,
  listenAddr,
  loadConfig,
  logSection,
  mciasSection,
  serverSection,
} from "@metacircular/mcdsl/config";
import { z } from "zod";

const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[0-9.]+|[A-Za-z0-9.-]+):\d{1,5}$/, {
  message: 'expected "host:port" (IPv6 as "[addr]:port")',
});

export const dnsSection = z.strictObject({
  listen_addr: listenAddr.default("127.0.0.1:53"),
  /** Extra listeners, e.g. a LAN and a Tailnet address (bind to specific IPs, not 0.0.0.0). */
  extra_listen_addrs: z.array(listenAddr).default([]),
  max_udp_size: z.number().int().min(512).max(4096).default(1232),
  tcp_idle_timeout_ms: z.number().int().min(100).max(300_000).default(10_000),
  tcp_max_connections: z.number().int().min(1).max(100_000).default(1000),
  answer_cache_entries: z.number().int().min(100).max(10_000_000).default(100_000),
  query_log: z.boolean().default(false),
  /**
   * Response rate limit per client network (UDP responses/s); 0 disables RRL. On by default at
   * NSD's default rate (rrl-ratelimit 200, rrl-slip 2).
   */
  rate_limit: z.number().int().min(0).max(1_000_000).default(200),
  rate_limit_slip: z.number().int().min(0).max(10).default(2),
  /**
   * UDP receive/send path: "native" batches with recvmmsg/sendmmsg (the addon in native/),
   * "dgram" is node:dgram, "auto" uses the addon when it is built.
   */
  udp_io: z.enum(["auto", "native", "dgram"]).default("auto"),
});

export const forwardingSection = z.strictObject({
  enabled: z.boolean().default(false),
  upstreams: z.array(hostPort).default([]),
  timeout_ms: z.number().int().min(50).max(30_000).default(1500),
  cache_entries: z.number().int().min(10).max(10_000_000).default(50_000),
  max_ttl: z.number().int().min(0).max(604_800).default(86_400),
  serve_stale_seconds: z.number().int().min(0).max(604_800).default(86_400),
  stale_ttl: z.number().int().min(1).max(3600).default(30),
  /** With a stale answer available, reply with it after this long while upstreams lag. */
  stale_answer_ms: z.number().int().min(0).max(30_000).default(1800),
});

export const transferSection = z.strictObject({
  /** Addresses allowed to AXFR/IXFR (exact IPs or CIDRs). Empty: transfers refused. */
  allow: z.array(z.string()).default([]),
  /** Secondaries to NOTIFY after each change ("host:port"). */
  notify: z.array(hostPort).default([]),
  /** TSIG keys (RFC 8945) for transfers: secret is base64. */
  tsig_keys: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        algorithm: z.enum(["hmac-sha256", "hmac-sha384", "hmac-sha512"]).default("hmac-sha256"),
        secret: z
          .string()
          .refine(
            (v) => Buffer.from(v, "base64").length >= 16,
            "expected a base64 secret of at least 16 bytes",
          ),
      }),
    )
    .default([]),
  /** Refuse unsigned transfer requests (even from addresses in `allow`). */
  require_tsig: z.boolean().default(false),
});

/** The management API (REST + gRPC). Disabled: a DNS-only server, no [mcias] needed. */
export const apiSection = z.strictObject({
  enabled: z.boolean().default(true),
  /** Back-off for an API port that cannot be bound (DNS serves meanwhile). */
  retry_initial_ms: z.number().int().min(10).max(60_000).default(1000),
  retry_max_ms: z.number().int().min(100).max(3_600_000).default(60_000),
});

export const configSchema = z.strictObject({
  server: serverSection,
  database: databaseSection,
  log: logSection.default({ level: "info" }),
  mcias: mciasSection.optional(),
  api: apiSection.default(apiSection.parse({})),
  dns: dnsSection.default(dnsSection.parse({})),
  forwarding: forwardingSection.default(forwardingSection.parse({})),
  transfer: transferSection.default(transferSection.parse({})),
});

export type McnsConfig = z.infer<typeof configSchema>;

export function loadMcnsConfig(path: string, env: NodeJS.ProcessEnv = process.env): McnsConfig {
  return loadConfig(configSchema, {
    path,
    envPrefix: "MCNS",
    env,
    ports: {
      default: "server.listen_addr",
      named: { GRPC: "server.grpc_addr", DNS: "dns.listen_addr" },
    },
  });
}
