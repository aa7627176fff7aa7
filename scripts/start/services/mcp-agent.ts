// The MCP node agent for this machine (node "local"): its gRPC API on loopback, its own rootful
// `podman system service` (storage, runroot and containers.conf under <data>/mcp-agent/podman/,
// started by the agent itself and stopped with it), MC-Proxy's admin socket for routes, MCNS
// records in the zone svc.mcp.localhost, host certificates from Metacrypt's DEV CA written to
// <data>/mcp-agent/certs/. Optional: without root, podman, runc or catatonit it is skipped with
// the reason, and the rest of the platform runs. The `mcp` CLI finds it through
// <data>/mcp-agent/mcp.toml (written on every start).
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { HealthService } from "@metacircular/proto/common/v1/health_pb";
import type { PlatformContext, ServiceDescriptor } from "../descriptor.ts";
import {
  GENERATED,
  local,
  loopback,
  mciasSection,
  q,
  serverArgs,
  writeConfigFile,
} from "./common.ts";
import {
  AGENT_ACCOUNT,
  AGENT_CERT_PROFILE,
  AGENT_ZONE,
  agentDir,
  provisionAgent,
  provisioned,
  tokenFile,
} from "./mcp-agent-provision.ts";
import { DEV_CA_MOUNT } from "./metacrypt.ts";

const NAME = "mcp-agent";
export const AGENT_NODE = "local";
const CATATONIT = "/usr/bin/catatonit";

const sub = (c: PlatformContext, ...parts: string[]) => join(agentDir(c), ...parts);
export const cliConfigFile = (c: PlatformContext): string => sub(c, "mcp.toml");

function onPath(bin: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(delimiter).some((d) => {
    try {
      accessSync(join(d || ".", bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why the agent cannot run on this machine (it runs rootful podman), or undefined. */
export function agentUnavailable(
  env: NodeJS.ProcessEnv = process.env,
  uid: number = process.getuid?.() ?? -1,
  catatonit = CATATONIT,
): string | undefined {
  const missing = [
    ...["podman", "runc"].filter((b) => !onPath(b, env)),
    ...(existsSync(catatonit) ? [] : ["catatonit"]),
  ];
  if (missing.length)
    return `${missing.join(", ")} not installed; to run it: apt-get install podman runc catatonit, then npm start again`;
  if (uid !== 0) return "it runs rootful podman containers; to run it: start npm start as root";
  return undefined;
}

function toml(c: PlatformContext): string {
  return `${GENERATED}[server]
grpc_addr = ${local(c.port("mcpAgentGrpc"))}
shutdown_timeout_ms = 3000

[database]
path = ${q(c.layout.service(NAME).db)}

${mciasSection(c, NAME)}
[node]
name = ${q(AGENT_NODE)}
address = "127.0.0.1"

[podman]
socket = ${q(sub(c, "podman", "podman.sock"))}
service_dir = ${q(sub(c, "podman"))}
service_ca_cert = ${q(c.layout.caCert)}
stop_timeout_seconds = 5

[proxy]
socket = ${q(c.layout.proxy.socket)}

[dns]
url = ${q(`http://${loopback(c.port("mcnsGrpc"))}`)}
token_file = ${q(tokenFile(c, "mcns"))}
zone = ${q(AGENT_ZONE)}

[certs]
mode = "metacrypt"
url = ${q(`http://${loopback(c.port("metacryptHttp"))}`)}
token_file = ${q(tokenFile(c, "metacrypt"))}
mount = ${q(DEV_CA_MOUNT)}
profile = ${q(AGENT_CERT_PROFILE)}
dir = ${q(sub(c, "certs"))}

[images]
username = ${q(AGENT_ACCOUNT)}
password_file = ${q(tokenFile(c, "mcr"))}

[files]
root = ${q(sub(c, "files"))}
`;
}

/** The `mcp` CLI's config: this agent as node "local", MCIAS, MCR for `mcp build`. */
function cliToml(c: PlatformContext): string {
  return `${GENERATED}[mcias]
url = ${q(`http://${loopback(c.port("mciasHttp"))}`)}

[services]
dir = ${q(sub(c, "services"))}

[registry]
username = "admin"
ca_cert = ${q(c.layout.caCert)}

[[nodes]]
name = ${q(AGENT_NODE)}
address = ${q(`http://${loopback(c.port("mcpAgentGrpc"))}`)}
`;
}

function writeConfig(c: PlatformContext): void {
  for (const d of ["podman", "certs", "files", "services"])
    mkdirSync(sub(c, d), { recursive: true, mode: 0o700 });
  writeConfigFile(c.layout.service(NAME).config, toml(c));
  writeConfigFile(cliConfigFile(c), cliToml(c));
}

/** HealthService/Check over gRPC (public on every mcdsl server). */
async function grpcHealthy(port: number): Promise<boolean> {
  const transport = createGrpcTransport({ baseUrl: `http://${loopback(port)}` });
  try {
    const r = await createClient(HealthService, transport).check({}, { timeoutMs: 2_000 });
    return r.status === "ok";
  } catch {
    return false;
  }
}

const mcp = (c: PlatformContext) => `npx mcp --config ${cliConfigFile(c)}`;

export const mcpAgent: ServiceDescriptor = {
  name: NAME,
  envPrefixes: ["MCP_AGENT_"],
  ports: [{ key: "mcpAgentGrpc", offset: 12, label: "MCP agent gRPC" }],
  unavailable: () => agentUnavailable(),
  writeConfig,
  launch: (c) => ({
    entry: "services/mcp/src/cmd/mcp-agent.ts",
    args: serverArgs(c.layout.service(NAME).config),
  }),
  // Healthy once it answers and, while the first admin's password works, MCIAS, MCNS,
  // Metacrypt and MCR have what it needs (they may still be starting on the first probes).
  healthy: async (c) => {
    await provisionAgent(c).catch(() => undefined);
    return provisioned(c) && (await grpcHealthy(c.port("mcpAgentGrpc")));
  },
  ready: (c) => [
    {
      title: "MCP agent",
      url: `node ${AGENT_NODE}, zone ${AGENT_ZONE}`,
      direct: `grpc ${loopback(c.port("mcpAgentGrpc"))}`,
      credentials: "MCIAS token for service mcp-agent",
    },
  ],
  nextSteps: (c) => [
    `  ${mcp(c)} login admin${c.passwordStdin}   # token the agent accepts, cached`,
    `  ${mcp(c)} ps`,
    `  # definitions: ${sub(c, "services")}/<name>.toml, node = "${AGENT_NODE}", routes on port ${c.port("web")}`,
  ],
  profile: {
    key: "mcp",
    entry: (c) => ({
      grpc_addr: loopback(c.port("mcpAgentGrpc")),
      cli_config: cliConfigFile(c),
      zone: AGENT_ZONE,
    }),
  },
};
