// The TOML configuration. [[listeners]] (with their [[listeners.routes]]) and [firewall] only
// seed an empty database; afterwards the database is the truth and the admin API changes it.
import { type LoadOptions, listenAddr, loadConfig, logSection } from "@metacircular/mcdsl/config";
import { z } from "zod";
import { isValidHostname } from "./protocol/client-hello.ts";

const rateLimit = z.strictObject({ rate: z.number().positive(), burst: z.number().int().min(1) });

const hostname = z.string().refine((h) => isValidHostname(h.startsWith("*.") ? h.slice(2) : h), {
  message: "expected a hostname or *.domain",
});

const L7_ONLY = ["tls_cert", "tls_key", "backend_ca", "health_path"] as const;

export const routeSchema = z
  .strictObject({
    hostname,
    backend: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):\d{1,5}$/, "expected host:port"),
    mode: z.enum(["l4", "l7"]),
    tls_cert: z.string().min(1).optional(),
    tls_key: z.string().min(1).optional(),
    min_tls: z.enum(["1.2", "1.3"]).default("1.3"),
    backend_tls: z.boolean().default(false),
    backend_ca: z.string().min(1).optional(),
    backend_h2: z.boolean().default(false),
    send_proxy: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
    timeout_ms: z.number().int().min(0).default(60_000),
    health_path: z.string().startsWith("/").optional(),
  })
  .superRefine((r, ctx) => {
    if (r.mode === "l7") {
      if (r.tls_cert === undefined || r.tls_key === undefined)
        ctx.addIssue({
          code: "custom",
          message: "l7 routes need tls_cert and tls_key",
          path: ["tls_cert"],
        });
      return;
    }
    // L4 passes TLS through untouched: a certificate or health path there would be ignored.
    for (const field of L7_ONLY)
      if (r[field] !== undefined)
        ctx.addIssue({ code: "custom", message: "applies to l7 routes only", path: [field] });
  });

export const listenerSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _"),
  addr: listenAddr,
  proxy_protocol: z.boolean().default(false),
  trusted_proxies: z.array(z.string()).default([]),
  routes: z.array(routeSchema).default([]),
});

export const firewallSchema = z.strictObject({
  allow: z.array(z.string()).default([]),
  deny: z.array(z.string()).default([]),
  blocked_countries: z.array(z.string().regex(/^[A-Za-z]{2}$/)).default([]),
  geoip_db: z.string().min(1).optional(),
  conn_rate: rateLimit.optional(),
  request_rate: rateLimit.optional(),
});

/** The part of the config that describes proxy state (what SeedConfig/ExportConfig exchange). */
export const seedSchema = z.strictObject({
  listeners: z.array(listenerSchema).default([]),
  firewall: firewallSchema.default({ allow: [], deny: [], blocked_countries: [] }),
});

export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        /** 0 runs the proxy in the main process; N forks N workers sharing the listeners. */
        workers: z.number().int().min(0).max(256).default(0),
        shutdown_timeout_ms: z.number().int().min(0).max(600_000).default(10_000),
        hello_timeout_ms: z.number().int().min(100).default(10_000),
        handshake_timeout_ms: z.number().int().min(100).default(10_000),
        /** interval of the optional per-route backend health checks */
        health_interval_ms: z.number().int().min(100).default(5_000),
        access_log: z.boolean().default(true),
        /** Connection I/O: "native" (the ingress addon: accept, ClientHello peek, L4 relay in
         * native threads), "node" (net.Server + streams), "auto" (native when the addon loads). */
        io: z.enum(["auto", "native", "node"]).default("auto"),
        /** Native I/O threads per process; 0 = one per core. */
        io_threads: z.number().int().min(0).max(64).default(0),
        /** HTTP/2 front end for L7: "lean" (mc-proxy's own framing) or "node" (node:http2). */
        h2_front: z.enum(["lean", "node"]).default("lean"),
        /** HTTP/1.1 front end for L7: "lean" (mc-proxy's own parser and pool) or "node" (node:http). */
        h1_front: z.enum(["lean", "node"]).default("lean"),
      })
      .default({
        workers: 0,
        shutdown_timeout_ms: 10_000,
        hello_timeout_ms: 10_000,
        handshake_timeout_ms: 10_000,
        health_interval_ms: 5_000,
        access_log: true,
        io: "auto",
        io_threads: 0,
        h2_front: "lean",
        h1_front: "lean",
      }),
    admin: z.strictObject({
      socket: z.string().min(1),
      /** Optional TCP admin listener; requires [mcias] (every call needs an admin token). */
      grpc_addr: listenAddr.optional(),
      tls_cert: z.string().min(1).optional(),
      tls_key: z.string().min(1).optional(),
    }),
    metrics: z.strictObject({ listen_addr: listenAddr.optional() }).default({}),
    database: z.strictObject({ path: z.string().min(1) }),
    log: logSection.default({ level: "info" }),
    mcias: z
      .strictObject({
        server_url: z.string().url(),
        ca_cert: z.string().min(1).optional(),
        service_name: z.string().min(1),
        tags: z.array(z.string()).default([]),
      })
      .optional(),
    listeners: seedSchema.shape.listeners,
    firewall: seedSchema.shape.firewall,
  })
  .refine((c) => c.admin.grpc_addr === undefined || c.mcias !== undefined, {
    message:
      "admin.grpc_addr needs an [mcias] section (TCP admin calls are authenticated by MCIAS)",
    path: ["admin", "grpc_addr"],
  });

export type Config = z.infer<typeof configSchema>;
export type SeedConfig = z.infer<typeof seedSchema>;

export function loadProxyConfig(path: string, env?: NodeJS.ProcessEnv): Config {
  const opts: LoadOptions = { path, envPrefix: "MCPROXY", env };
  return loadConfig(configSchema, opts);
}
