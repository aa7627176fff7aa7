// MCQ, the document queue: plain HTTP on loopback behind MC-Proxy's L7 route
// https://mcq.localhost:<web port> (UI, REST and MCP). Its session key is kept in its folder; the
// UI signs in through MCIAS SSO.
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
  sessionKeyFile,
  ssoSection,
  webSso,
  writeToml,
} from "./common.ts";

const HOST = "mcq.localhost";
const sso = webSso(HOST, "mcq");

function toml(c: PlatformContext): string {
  return `${GENERATED}[server]
listen_addr = ${local(c.port("mcqHttp"))}
shutdown_timeout_ms = 3000

[database]
path = ${q(c.layout.service("mcq").db)}

${mciasSection(c, "mcq")}
${ssoSection(c, sso(c))}
[web]
session_key_file = ${q(sessionKeyFile(c, "mcq"))}
`;
}

export const mcq: ServiceDescriptor = {
  name: "mcq",
  envPrefixes: ["MCQ_"],
  ports: [{ key: "mcqHttp", offset: 11, label: "MCQ REST API and UI" }],
  routes: l7Route(HOST, "mcqHttp"),
  ssoClient: sso,
  writeConfig: writeToml("mcq", toml),
  launch: serverLaunch("mcq"),
  healthy: (c) => httpHealthy(c.port("mcqHttp")),
  ready: (c) => [
    {
      title: "MCQ",
      url: c.origin(HOST),
      direct: `http://${loopback(c.port("mcqHttp"))}`,
      credentials: "MCIAS token for service mcq",
    },
  ],
  nextSteps: (c) => [
    `  npx mciasctl login admin --service mcq${c.passwordStdin} >/dev/null   # token mcq uses`,
    `  npx mcq push README.md   # your first document, then open ${c.origin(HOST)}`,
  ],
  profile: {
    key: "mcq",
    entry: (c) => ({ url: `http://${loopback(c.port("mcqHttp"))}`, web_url: c.origin(HOST) }),
  },
};
