// MCQ, the document queue: plain HTTP on loopback behind MC-Proxy's L7 route
// https://mcq.localhost:<web port> (UI, REST and MCP). Its session key is kept in its folder.
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlatformContext, ServiceDescriptor } from "../descriptor.ts";
import {
  GENERATED,
  httpHealthy,
  local,
  loopback,
  q,
  serverArgs,
  writeConfigFile,
} from "./common.ts";

const HOST = "mcq.localhost";

function sessionKey(c: PlatformContext): string {
  const file = join(c.layout.service("mcq").dir, "session.key");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600 });
  return file;
}

function toml(c: PlatformContext): string {
  return `${GENERATED}[server]
listen_addr = ${local(c.port("mcqHttp"))}
shutdown_timeout_ms = 3000

[database]
path = ${q(c.layout.service("mcq").db)}

[mcias]
server_url = ${q(`http://${loopback(c.port("mciasHttp"))}`)}
service_name = "mcq"

[web]
session_key_file = ${q(sessionKey(c))}
`;
}

export const mcq: ServiceDescriptor = {
  name: "mcq",
  envPrefixes: ["MCQ_"],
  ports: [{ key: "mcqHttp", offset: 11, label: "MCQ REST API and UI" }],
  routes: (c) => [{ hostname: HOST, mode: "l7", backendPort: c.port("mcqHttp") }],
  writeConfig: (c) => writeConfigFile(c.layout.service("mcq").config, toml(c)),
  launch: (c) => ({
    entry: "services/mcq/src/cmd/mcq.ts",
    args: serverArgs(c.layout.service("mcq").config),
  }),
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
