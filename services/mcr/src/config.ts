// mcr.toml schema. [storage], [registry] and [gc] are MCR's own; the rest come from mcdsl.
// Environment overrides: MCR_<SECTION>_<KEY>; $PORT → server.listen_addr.

import {
  databaseSection,
  loadConfig,
  logSection,
  mciasSection,
  serverSection,
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

export const configSchema = z.strictObject({
  server: serverSection,
  database: databaseSection,
  storage: storageSection,
  log: logSection.default({ level: "info" }),
  mcias: mciasSection,
  registry: registrySection.default(registrySection.parse({})),
  gc: gcSection.default(gcSection.parse({})),
});

export type McrConfig = z.infer<typeof configSchema>;

export function loadMcrConfig(path: string, env: NodeJS.ProcessEnv = process.env): McrConfig {
  return loadConfig(configSchema, {
    path,
    envPrefix: "MCR",
    env,
    ports: { default: "server.listen_addr" },
  });
}
