// MCNS, the authoritative DNS server: REST + gRPC on loopback, DNS on UDP and TCP, its web UI at
// https://mcns.localhost:<web port> through MC-Proxy. It checks tokens with MCIAS.
import type { PlatformContext, ServiceDescriptor } from "../descriptor.ts";
import {
  GENERATED,
  httpHealthy,
  l7Route,
  local,
  loopback,
  mciasSection,
  q,
  serverLaunch,
  writeToml,
} from "./common.ts";

const HOST = "mcns.localhost";

function toml(c: PlatformContext): string {
  return `${GENERATED}[server]
listen_addr = ${local(c.port("mcnsHttp"))}
grpc_addr = ${local(c.port("mcnsGrpc"))}
shutdown_timeout_ms = 3000

[database]
path = ${q(c.layout.service("mcns").db)}

${mciasSection(c, "mcns")}
[dns]
listen_addr = ${local(c.port("mcnsDns"))}

[forwarding]
enabled = false
`;
}

export const mcns: ServiceDescriptor = {
  name: "mcns",
  envPrefixes: ["MCNS_"],
  ports: [
    { key: "mcnsHttp", offset: 3, label: "MCNS REST API" },
    { key: "mcnsGrpc", offset: 4, label: "MCNS gRPC" },
    { key: "mcnsDns", offset: 5, label: "MCNS DNS (UDP and TCP)", udp: true },
  ],
  routes: l7Route(HOST, "mcnsHttp"),
  writeConfig: writeToml("mcns", toml),
  launch: serverLaunch("mcns"),
  healthy: (c) => httpHealthy(c.port("mcnsHttp")),
  ready: (c) => [
    {
      title: "MCNS",
      url: c.origin(HOST),
      direct: `http://${loopback(c.port("mcnsHttp"))}`,
      credentials: "MCIAS token for service mcns",
    },
    { title: "", url: "", direct: `dns ${loopback(c.port("mcnsDns"))} udp+tcp`, credentials: "" },
  ],
  nextSteps: (c) => [
    `  npx mciasctl login admin --service mcns${c.passwordStdin} >/dev/null   # token MCNS accepts, cached`,
    "  npx mcnsctl zone list",
    `  dig @127.0.0.1 -p ${c.port("mcnsDns")} <name>`,
  ],
  profile: {
    key: "mcns",
    entry: (c) => ({
      url: `http://${loopback(c.port("mcnsHttp"))}`,
      web_url: c.origin(HOST),
      grpc_addr: loopback(c.port("mcnsGrpc")),
      dns_addr: loopback(c.port("mcnsDns")),
    }),
  },
};
