// Reusable config sections. Every service composes its schema from these plus its own sections;
// all are strict objects, so unknown keys are errors.
import { z } from "zod";
import { isListenAddr } from "./listen-addr.ts";

export const listenAddr = z.string().refine(isListenAddr, {
  message: 'expected a listen address "host:port", ":port" or "[v6]:port"',
});

export const serverSection = z
  .strictObject({
    listen_addr: listenAddr,
    grpc_addr: listenAddr.optional(),
    tls_cert: z.string().min(1).optional(),
    tls_key: z.string().min(1).optional(),
    shutdown_timeout_ms: z.number().int().min(0).max(600_000).default(10_000),
  })
  .refine((s) => (s.tls_cert === undefined) === (s.tls_key === undefined), {
    message: "tls_cert and tls_key must be set together",
    path: ["tls_key"],
  });

export const databaseSection = z.strictObject({ path: z.string().min(1) });

export const logSection = z.strictObject({
  level: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

export const mciasSection = z.strictObject({
  server_url: z.url({ protocol: /^https?$/ }),
  ca_cert: z.string().min(1).optional(),
  service_name: z.string().min(1),
  tags: z.array(z.string()).default([]),
});

/**
 * A web UI's MCIAS single sign-on client (mcdsl/sso): both client_id and redirect_uri set turn
 * SSO on. mcias_public_url is MCIAS as the browser reaches it when [mcias] server_url is an
 * address only the service can use (a loopback backend behind MC-Proxy, say).
 */
export const ssoSection = z.strictObject({
  redirect_uri: z.url().optional(),
  client_id: z.string().min(1).optional(),
  mcias_public_url: z.url({ protocol: /^https?$/ }).optional(),
});

export type ServerConfig = z.infer<typeof serverSection>;
export type DatabaseConfig = z.infer<typeof databaseSection>;
export type LogConfig = z.infer<typeof logSection>;
export type MciasConfig = z.infer<typeof mciasSection>;
export type SsoConfig = z.infer<typeof ssoSection>;
