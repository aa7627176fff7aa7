// MCQ, the document queue: plain HTTP on loopback behind MC-Proxy's L7 route
// https://mcq.localhost:<web port> (UI, REST and MCP). Its session key is kept in its folder.
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

${mciasSection(c, "mcq")}
[web]
session_key_file = ${q(sessionKey(c))}
`;
}

export const mcq: ServiceDescriptor = {
  name: "mcq",
  envPrefixes: ["MCQ_"],
  ports: [{ key: "mcqHttp", offset: 11, label: "MCQ REST API and UI" }],
  routes: l7Route(HOST, "mcqHttp"),
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
