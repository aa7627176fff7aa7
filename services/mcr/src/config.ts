// mcr.toml schema. [storage], [registry], [gc] and [web] are MCR's own; the rest come from mcdsl.
// Environment overrides: MCR_<SECTION>_<KEY>; $PORT → server.listen_addr.

import { dirname, join } from "node:path";
import {
  databaseSection,
  listenAddr,
  loadConfig,
  logSection,
  mciasSection,
  serverSection,
  ssoSection,
} from "@metacircular/mcdsl/config";
import { z } from "zod";

export const storageSection = z.strictObject({
  /** Root of the content-addressed store: blobs/<alg>/<xx>/<hex> and uploads/<uuid>. */
  path: z.string().min(1),
  /** Largest manifest accepted (the spec recommends at least 4 MiB). */
  max_manifest_bytes: z
    .number()
    .int()
    .min(4096)
    .max(64 << 20)
    .default(4 << 20),
  /**
   * How blob downloads read the store: "pooled" reuses 1 MiB read buffers (far less CPU per
   * pull); "stream" is fs.createReadStream piped into the response (the library path).
   */
  blob_reads: z.enum(["pooled", "stream"]).default("pooled"),
});

export const registrySection = z.strictObject({
  /**
   * The registry's service name: the `service` of the Bearer challenge and the audience of the
   * registry tokens MCR signs. Distinct from [mcias] service_name (the audience of the MCIAS
   * tokens MCR's own admin API takes), so neither kind of token is taken for the other.
   */
  service: z.string().min(1).default("mcr-registry"),
  /** Token endpoint URL for the challenge; default https://<Host of the request>/v2/token. */
  realm: z.url({ protocol: /^https?$/ }).optional(),
  /** Lifetime of a registry token. */
  token_ttl_seconds: z.number().int().min(30).max(3600).default(300),
  /**
   * The Ed25519 key registry tokens are signed with (PKCS#8 PEM, mode 0600), created on first
   * start; default `registry-token.key` beside the database (in [storage] path for ":memory:").
   */
  signing_key_file: z.string().min(1).optional(),
});

export const gcSection = z.strictObject({
  /** A blob or manifest younger than this (or used more recently) is never collected. */
  grace_seconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(3600),
  /** An upload untouched for this long is stale and collected with its temp file. */
  upload_ttl_seconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400),
  /** Run a collection every this many seconds; 0 = only on request (mcrctl gc). */
  interval_seconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(0),
});

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost):\d+$/;

export const webSection = z.strictObject({
  /**
   * The web UI's listener: plain HTTP on a loopback address, behind an MC-Proxy L7 route that
   * terminates TLS. Unset: no web UI.
   */
  listen_addr: listenAddr
    .refine((a) => LOOPBACK.test(a), {
      message: "the web UI is plain HTTP: listen on a loopback address (behind MC-Proxy)",
    })
    .optional(),
  /** File with at least 32 bytes of key material for the session cookies (random per start if unset). */
  session_key_file: z.string().min(1).optional(),
  /** Secure cookies (default true: behind MC-Proxy the browser sees HTTPS). */
  secure_cookies: z.boolean().default(true),
  session_ttl_seconds: z.number().int().min(60).max(2_592_000).default(28_800),
});

export const configSchema = z.strictObject({
  server: serverSection,
  database: databaseSection,
  storage: storageSection,
  log: logSection.default({ level: "info" }),
  mcias: mciasSection,
  registry: registrySection.default(registrySection.parse({})),
  gc: gcSection.default(gcSection.parse({})),
  web: webSection.default(webSection.parse({})),
  sso: ssoSection.default({}),
});

export type McrConfig = z.infer<typeof configSchema>;

/** Where the registry token signing key lives (see registrySection.signing_key_file). */
export function signingKeyPath(cfg: McrConfig): string {
  if (cfg.registry.signing_key_file) return cfg.registry.signing_key_file;
  const dir = cfg.database.path === ":memory:" ? cfg.storage.path : dirname(cfg.database.path);
  return join(dir, "registry-token.key");
}

export function loadMcrConfig(path: string, env: NodeJS.ProcessEnv = process.env): McrConfig {
  return loadConfig(configSchema, {
    path,
    envPrefix: "MCR",
    env,
    ports: { default: "server.listen_addr" },
  });
}
