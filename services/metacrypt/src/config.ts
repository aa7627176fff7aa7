// metacrypt.toml schema. Environment overrides: METACRYPT_<SECTION>_<KEY>; $PORT →
// server.listen_addr, $PORT_GRPC → server.grpc_addr.

import {
  databaseSection,
  loadConfig,
  logSection,
  mciasSection,
  serverSection,
  ssoSection,
} from "@metacircular/mcdsl/config";
import { z } from "zod";
import { acmeSection } from "./acme/config-section.ts";
import { caSection } from "./ca/leaf-urls.ts";
import { webSection } from "./webserver/config.ts";

/** Argon2id cost of deriving the key-wrapping key from the unseal secret. */
export const sealSection = z.strictObject({
  argon2_memory_kib: z.number().int().min(8).max(4_194_304).default(65_536),
  argon2_time: z.number().int().min(1).max(100).default(3),
  argon2_parallelism: z.number().int().min(1).max(16).default(4),
});

export const configSchema = z.strictObject({
  server: serverSection,
  database: databaseSection,
  log: logSection.default({ level: "info" }),
  mcias: mciasSection,
  seal: sealSection.default(sealSection.parse({})),
  sso: ssoSection.default({}),
  web: webSection.default(webSection.parse({})),
  ca: caSection.default({}),
  acme: acmeSection.default(acmeSection.parse({})),
});

export type MetacryptConfig = z.infer<typeof configSchema>;

export function loadMetacryptConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): MetacryptConfig {
  return loadConfig(configSchema, {
    path,
    envPrefix: "METACRYPT",
    env,
    ports: { default: "server.listen_addr", named: { GRPC: "server.grpc_addr" } },
  });
}
