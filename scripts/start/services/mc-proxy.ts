// MC-Proxy, the ingress: one HTTPS listener ("web", the port base) that routes every service's
// hostname by SNI — l7 routes terminate TLS with the platform CA's certificate, l4 routes pass
// the TLS stream through. Its listeners and routes only seed an empty database (mcproxyctl
// changes the live state); the supervisor drops that database when the seed changes.
import type { PlatformContext, ProxyRoute, ServiceDescriptor } from "../descriptor.ts";
import { GENERATED, httpHealthy, local, loopback, q, serverLaunch, writeToml } from "./common.ts";

export const WEB_LISTENER = "web";

function routeToml(c: PlatformContext, r: ProxyRoute): string {
  const head = `
[[listeners.routes]]
hostname = ${q(r.hostname)}
backend = ${local(r.backendPort)}
mode = ${q(r.mode)}
`;
  if (r.mode === "l4") return head;
  const files = c.cert(r.hostname);
  return `${head}tls_cert = ${q(files.cert)}
tls_key = ${q(files.key)}
`;
}

/** The listener and its routes: what the database is seeded with (kept in platform.json). */
export function proxySeed(c: PlatformContext): string {
  return `[[listeners]]
name = ${q(WEB_LISTENER)}
addr = ${local(c.port("web"))}
${c
  .routes()
  .map((r) => routeToml(c, r))
  .join("")}`;
}

function toml(c: PlatformContext): string {
  return `${GENERATED}# Listeners and routes only seed an empty database (mcproxyctl changes the live state).
[server]
workers = 0
io_threads = 1
shutdown_timeout_ms = 2000

[admin]
socket = ${q(c.layout.proxy.socket)}

[metrics]
listen_addr = ${local(c.port("proxyMetrics"))}

[database]
path = ${q(c.layout.proxy.db)}

${proxySeed(c)}`;
}

export const mcProxy: ServiceDescriptor = {
  name: "mc-proxy",
  envPrefixes: ["MCPROXY_"],
  ports: [
    { key: "web", offset: 0, label: "MC-Proxy HTTPS listener (web UIs)" },
    { key: "proxyMetrics", offset: 6, label: "MC-Proxy metrics" },
  ],
  writeConfig: writeToml("mc-proxy", toml),
  launch: serverLaunch("mc-proxy"),
  healthy: (c) => httpHealthy(c.port("proxyMetrics"), "/metrics"),
  ready: (c) => [
    {
      title: "MC-Proxy",
      url: `https://${loopback(c.port("web"))} (SNI)`,
      direct: `unix:${c.layout.proxy.socket}`,
      credentials: "the socket file (0660)",
    },
  ],
  nextSteps: () => ["  npx mcproxyctl routes list"],
  profile: {
    key: "mc_proxy",
    entry: (c) => ({
      socket: c.layout.proxy.socket,
      listener: WEB_LISTENER,
      listen_addr: loopback(c.port("web")),
      metrics_url: `http://${loopback(c.port("proxyMetrics"))}/metrics`,
    }),
  },
};
