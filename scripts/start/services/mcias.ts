// MCIAS, the identity service: REST + gRPC on loopback, its web UI, OIDC issuer and SSO sign-in
// page at https://mcias.localhost:<web port> through MC-Proxy. Its first admin's password comes
// from the supervisor (admin-password.ts) through MCIAS_BOOTSTRAP_ADMIN_PASSWORD on the first run
// only. Every web UI's SSO client is written into its config on every start (so the redirect
// URIs follow the web port; MCIAS's SSO clients are configuration, not stored state).
import type { PlatformContext, ServiceDescriptor, SsoClient } from "../descriptor.ts";
import {
  GENERATED,
  httpHealthy,
  l7Route,
  local,
  loopback,
  MCIAS_HOST,
  q,
  serverLaunch,
  writeToml,
} from "./common.ts";

const HOST = MCIAS_HOST;

function ssoClientsToml(clients: SsoClient[]): string {
  return clients
    .map(
      (s) => `
[[sso_clients]]
client_id = ${q(s.clientId)}
redirect_uri = ${q(s.redirectUri)}
service_name = ${q(s.serviceName)}
`,
    )
    .join("");
}

function toml(c: PlatformContext): string {
  const origin = c.origin(HOST);
  return `${GENERATED}trusted_proxies = ["127.0.0.1"]

[server]
listen_addr = ${local(c.port("mciasHttp"))}
grpc_addr = ${local(c.port("mciasGrpc"))}
shutdown_timeout_ms = 3000

[database]
path = ${q(c.layout.mcias.db)}

[policy]
default = "deny"
# MCAT (the login-policy tester) acts for the admin signed in to it.
tool_accounts = ["mcat"]

[oidc]
issuer = ${q(origin)}

[webauthn]
rp_id = ${q(HOST)}
rp_name = "MCIAS (local)"
origins = [${q(origin)}]
${ssoClientsToml(c.ssoClients())}`;
}

export const mcias: ServiceDescriptor = {
  name: "mcias",
  envPrefixes: ["MCIAS_"],
  ports: [
    { key: "mciasHttp", offset: 1, label: "MCIAS REST API" },
    { key: "mciasGrpc", offset: 2, label: "MCIAS gRPC" },
  ],
  routes: l7Route(HOST, "mciasHttp"),
  writeConfig: writeToml("mcias", toml),
  launch: (c) => ({
    ...serverLaunch("mcias")(c),
    ...(c.adminPassword ? { env: { MCIAS_BOOTSTRAP_ADMIN_PASSWORD: c.adminPassword } } : {}),
  }),
  healthy: (c) => httpHealthy(c.port("mciasHttp")),
  ready: (c) => [
    {
      title: "MCIAS",
      url: c.origin(HOST),
      direct: `http://${loopback(c.port("mciasHttp"))}`,
      credentials: c.admin ? `admin, password in ${c.admin.file}` : "admin (your password)",
    },
  ],
  nextSteps: (c) => [
    `  npx mciasctl login admin${c.passwordStdin} >/dev/null   # token for MCIAS, cached`,
    "  npx mciasctl account list",
    `  curl --cacert ${c.sh(c.layout.caCert)} ${c.origin(HOST)}/v1/health`,
  ],
  profile: {
    key: "mcias",
    entry: (c) => ({
      url: `http://${loopback(c.port("mciasHttp"))}`,
      web_url: c.origin(HOST),
      grpc_addr: loopback(c.port("mciasGrpc")),
    }),
  },
};
