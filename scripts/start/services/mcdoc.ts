// MCDoc, the documentation site: plain HTTP on loopback behind MC-Proxy's L7 route
// https://docs.localhost:<web port>, serving this checkout's own documentation (READMEs,
// RUNBOOKs, ARCHITECTURE.md: every markdown file of the repository) read from disk, re-read every
// minute. Its cache (search index) lives in its data folder.
import type { PlatformContext, ServiceDescriptor } from "../descriptor.ts";
import {
  GENERATED,
  httpHealthy,
  l7Route,
  local,
  loopback,
  q,
  serverLaunch,
  writeToml,
} from "./common.ts";

const HOST = "docs.localhost";

function toml(c: PlatformContext): string {
  return `${GENERATED}[server]
listen_addr = ${local(c.port("mcdocHttp"))}
shutdown_timeout_ms = 3000

[cache]
dir = ${q(c.layout.service("mcdoc").dir)}

[site]
title = "Metacircular documentation"

[refresh]
interval_seconds = 60

[[repos]]
name = "metacircular"
title = "Metacircular"
description = "This checkout: ARCHITECTURE.md and every service's README and RUNBOOK."
path = ${q(c.repoRoot)}
`;
}

export const mcdoc: ServiceDescriptor = {
  name: "mcdoc",
  envPrefixes: ["MCDOC_"],
  ports: [{ key: "mcdocHttp", offset: 13, label: "MCDoc documentation site" }],
  routes: l7Route(HOST, "mcdocHttp"),
  writeConfig: writeToml("mcdoc", toml),
  launch: serverLaunch("mcdoc"),
  healthy: (c) => httpHealthy(c.port("mcdocHttp")),
  ready: (c) => [
    {
      title: "MCDoc",
      url: c.origin(HOST),
      direct: `http://${loopback(c.port("mcdocHttp"))}`,
      credentials: "none (public documentation)",
    },
  ],
  nextSteps: (c) => [`  open ${c.origin(HOST)}/r/metacircular/   # this project's documentation`],
};
