// The three services' TOML configs, rewritten on every start from the port layout and the data
// dir (they are derived files: edit the supervisor, not them). MC-Proxy's listeners and routes
// only seed an empty database, so the supervisor drops that database when the ports moved.
import { writeFileSync } from "node:fs";
import type { Layout } from "./layout.ts";
import type { Ports } from "./ports.ts";
import { type WebRoute, webOrigin } from "./web-routes.ts";

const q = (s: string) => JSON.stringify(s);
const local = (port: number) => q(`127.0.0.1:${port}`);

function mciasToml(l: Layout, p: Ports): string {
  const origin = webOrigin("mcias", p);
  return `# Written by npm start on every start; changes here are overwritten.
trusted_proxies = ["127.0.0.1"]

[server]
listen_addr = ${local(p.mciasHttp)}
grpc_addr = ${local(p.mciasGrpc)}
shutdown_timeout_ms = 3000

[database]
path = ${q(l.mcias.db)}

[policy]
default = "deny"

[oidc]
issuer = ${q(origin)}

[webauthn]
rp_id = "mcias.localhost"
rp_name = "MCIAS (local)"
origins = [${q(origin)}]
`;
}

function mcnsToml(l: Layout, p: Ports): string {
  return `# Written by npm start on every start; changes here are overwritten.
[server]
listen_addr = ${local(p.mcnsHttp)}
grpc_addr = ${local(p.mcnsGrpc)}
shutdown_timeout_ms = 3000

[database]
path = ${q(l.mcns.db)}

[mcias]
server_url = ${q(`http://127.0.0.1:${p.mciasHttp}`)}
service_name = "mcns"

[dns]
listen_addr = ${local(p.mcnsDns)}

[forwarding]
enabled = false
`;
}

function routeToml(r: WebRoute): string {
  return `
[[listeners.routes]]
hostname = ${q(r.hostname)}
backend = ${local(r.backendPort)}
mode = "l7"
tls_cert = ${q(r.certPath)}
tls_key = ${q(r.keyPath)}
`;
}

function proxyToml(l: Layout, p: Ports, routes: WebRoute[]): string {
  return `# Written by npm start on every start; changes here are overwritten. Listeners and routes
# only seed an empty database (mcproxyctl changes the live state).
[server]
workers = 0
io_threads = 1
shutdown_timeout_ms = 2000

[admin]
socket = ${q(l.proxy.socket)}

[metrics]
listen_addr = ${local(p.proxyMetrics)}

[database]
path = ${q(l.proxy.db)}

[[listeners]]
name = "web"
addr = ${local(p.web)}
${routes.map(routeToml).join("")}`;
}

export function writeConfigs(l: Layout, p: Ports, routes: WebRoute[]): void {
  writeFileSync(l.mcias.config, mciasToml(l, p), { mode: 0o600 });
  writeFileSync(l.mcns.config, mcnsToml(l, p), { mode: 0o600 });
  writeFileSync(l.proxy.config, proxyToml(l, p, routes), { mode: 0o600 });
}
