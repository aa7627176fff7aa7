// The web routes MC-Proxy terminates for the local platform: https://<service>.localhost:<web
// port>, one leaf certificate per name from the local CA, forwarded to the service's plain
// HTTP listener on loopback.
import { join } from "node:path";
import type { Layout } from "./layout.ts";
import type { Ports } from "./ports.ts";

export interface WebRoute {
  service: string;
  hostname: string;
  backendPort: number;
  certPath: string;
  keyPath: string;
}

export function webOrigin(service: string, p: Ports): string {
  return `https://${service}.localhost:${p.web}`;
}

export function webRoutes(l: Layout, p: Ports): WebRoute[] {
  const route = (service: string, backendPort: number): WebRoute => ({
    service,
    hostname: `${service}.localhost`,
    backendPort,
    certPath: join(l.caDir, `${service}.localhost.crt`),
    keyPath: join(l.caDir, `${service}.localhost.key`),
  });
  return [route("mcias", p.mciasHttp), route("mcns", p.mcnsHttp)];
}
