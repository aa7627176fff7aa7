// MCR, the OCI registry: it terminates TLS itself (a Metacrypt-issued certificate for
// mcr.localhost and 127.0.0.1) and is reached through MC-Proxy's L4 route, SNI passthrough, at
// mcr.localhost:<web port> — the registry API for podman, skopeo and docker. mcrctl talks to
// its direct TLS port.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PlatformContext, ServiceDescriptor } from "../descriptor.ts";
import { probe } from "../health.ts";
import { GENERATED, local, loopback, mciasSection, q, serverLaunch, writeToml } from "./common.ts";

export const MCR_HOST = "mcr.localhost";

function toml(c: PlatformContext): string {
  const files = c.cert(MCR_HOST);
  const dir = c.layout.service("mcr").dir;
  return `${GENERATED}[server]
listen_addr = ${local(c.port("mcrHttps"))}
tls_cert = ${q(files.cert)}
tls_key = ${q(files.key)}
shutdown_timeout_ms = 3000

[database]
path = ${q(c.layout.service("mcr").db)}

[storage]
path = ${q(join(dir, "storage"))}

${mciasSection(c, "mcr")}`;
}

export const mcr: ServiceDescriptor = {
  name: "mcr",
  envPrefixes: ["MCR_"],
  ports: [{ key: "mcrHttps", offset: 9, label: "MCR registry API (TLS)" }],
  tlsNames: () => [MCR_HOST],
  routes: (c) => [{ hostname: MCR_HOST, mode: "l4", backendPort: c.port("mcrHttps") }],
  writeConfig: writeToml("mcr", toml),
  launch: serverLaunch("mcr"),
  healthy: (c) =>
    probe(`https://${loopback(c.port("mcrHttps"))}/v1/health`, {
      servername: MCR_HOST,
      ca: readFileSync(c.layout.caCert),
    }),
  ready: (c) => [
    {
      title: "MCR",
      url: `${MCR_HOST}:${c.port("web")} (L4)`,
      direct: `https://${loopback(c.port("mcrHttps"))}`,
      credentials: "MCIAS username + password",
    },
  ],
  nextSteps: (c) => [
    `  npx mciasctl login admin --service mcr${c.passwordStdin} >/dev/null   # token mcrctl uses`,
    "  npx mcrctl repositories",
    `  curl --cacert ${c.sh(c.layout.caCert)} --resolve ${MCR_HOST}:${c.port("web")}:127.0.0.1 https://${MCR_HOST}:${c.port("web")}/v2/   # 401 + WWW-Authenticate`,
  ],
  profile: {
    key: "mcr",
    entry: (c) => ({
      url: `https://${loopback(c.port("mcrHttps"))}`,
      registry: `${MCR_HOST}:${c.port("web")}`,
    }),
  },
};
