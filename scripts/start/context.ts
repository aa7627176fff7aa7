// The PlatformContext the descriptors are given: ports by key, the data dir, where each
// hostname's certificate is kept, every service's MC-Proxy routes and web UI SSO clients.
import { join } from "node:path";
import type {
  CertFiles,
  PlatformContext,
  ProxyRoute,
  ServiceDescriptor,
  SsoClient,
} from "./descriptor.ts";
import type { Layout } from "./layout.ts";
import { type Ports, portOf } from "./ports.ts";

export function platformContext(
  services: readonly ServiceDescriptor[],
  o: { repoRoot: string; layout: Layout; ports: Ports; adminPassword: string | undefined },
): PlatformContext {
  const c: PlatformContext = {
    repoRoot: o.repoRoot,
    layout: o.layout,
    adminPassword: o.adminPassword,
    port: (key) => portOf(o.ports, key),
    origin: (hostname) => `https://${hostname}:${portOf(o.ports, "web")}`,
    cert: (hostname): CertFiles => ({
      cert: join(o.layout.caDir, `${hostname}.crt`),
      key: join(o.layout.caDir, `${hostname}.key`),
    }),
    routes: (): ProxyRoute[] => services.flatMap((s) => s.routes?.(c) ?? []),
    ssoClients: (): SsoClient[] => services.flatMap((s) => (s.ssoClient ? [s.ssoClient(c)] : [])),
  };
  return c;
}

/** Every hostname the platform CA must have a valid certificate for before services start. */
export function certificateNames(
  services: readonly ServiceDescriptor[],
  c: PlatformContext,
): string[] {
  const l7 = c
    .routes()
    .filter((r) => r.mode === "l7")
    .map((r) => r.hostname);
  const own = services.flatMap((s) => s.tlsNames?.(c) ?? []);
  return [...new Set([...l7, ...own])];
}
