// MCR, the OCI registry: it terminates TLS itself (a Metacrypt-issued certificate for
// mcr.localhost and 127.0.0.1) and is reached through MC-Proxy's L4 route, SNI passthrough, at
// mcr.localhost:<web port> — the registry API for podman, skopeo and docker. mcrctl talks to
// its direct TLS port. Its web UI listens on plain HTTP on loopback behind MC-Proxy's L7 route
// https://mcr-ui.localhost:<web port>; the UI's session key is kept in its folder and it signs
// in through MCIAS SSO.

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlatformContext, ServiceDescriptor } from "../descriptor.ts";
import { probe } from "../health.ts";
import {
  GENERATED,
  local,
  loopback,
  mciasSection,
  q,
  serverLaunch,
  ssoSection,
  webSso,
  writeToml,
} from "./common.ts";

export const MCR_HOST = "mcr.localhost";
export const MCR_UI_HOST = "mcr-ui.localhost";
const sso = webSso(MCR_UI_HOST, "mcr");

function sessionKey(c: PlatformContext): string {
  const file = join(c.layout.service("mcr").dir, "web-session.key");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600 });
  return file;
}

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

${mciasSection(c, "mcr")}
${ssoSection(c, sso(c))}
[web]
listen_addr = ${local(c.port("mcrWeb"))}
session_key_file = ${q(sessionKey(c))}
`;
}

export const mcr: ServiceDescriptor = {
  name: "mcr",
  envPrefixes: ["MCR_"],
  ports: [
    { key: "mcrHttps", offset: 9, label: "MCR registry API (TLS)" },
    { key: "mcrWeb", offset: 10, label: "MCR web UI" },
  ],
  tlsNames: () => [MCR_HOST],
  routes: (c) => [
    { hostname: MCR_HOST, mode: "l4", backendPort: c.port("mcrHttps") },
    { hostname: MCR_UI_HOST, mode: "l7", backendPort: c.port("mcrWeb") },
  ],
  ssoClient: sso,
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
    {
      title: "MCR UI",
      url: c.origin(MCR_UI_HOST),
      direct: `http://${loopback(c.port("mcrWeb"))}`,
      credentials: "MCIAS sign-in (SSO)",
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
      web_url: c.origin(MCR_UI_HOST),
    }),
  },
};
