// The CLI's own config, ~/.config/mcp/mcp.toml (or --config / $MCP_CONFIG): where MCIAS is, the
// agent audience, the service definitions directory and the nodes with their agent addresses
// (fallbacks tried in order when the first cannot be reached).
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { ConfigError, loadTomlDocument } from "@metacircular/mcdsl/config";
import { AppError } from "@metacircular/mcdsl/errors";
import { z } from "zod";

const nodeSchema = z.strictObject({
  name: z.string().min(1),
  /** The agent's gRPC URL: "https://rift.example:9444" or "http://127.0.0.1:9444". */
  address: z.url({ protocol: /^https?$/ }),
  fallback: z.array(z.url({ protocol: /^https?$/ })).default([]),
  ca_cert: z.string().min(1).optional(),
  ssh: z.string().min(1).optional(),
  arch: z.enum(["amd64", "arm64"]).optional(),
});

export const cliConfigSchema = z.strictObject({
  mcias: z.strictObject({
    url: z.url({ protocol: /^https?$/ }),
    ca_cert: z.string().min(1).optional(),
    /** The audience of the agents' tokens. */
    service_name: z.string().min(1).default("mcp-agent"),
  }),
  services: z.strictObject({ dir: z.string().min(1).optional() }).default({}),
  /** `mcp build`: where the definitions' `path` folders are, and the podman to build with. */
  build: z
    .strictObject({
      workspace: z.string().min(1).optional(),
      podman: z.string().min(1).default("podman"),
    })
    .default({ podman: "podman" }),
  /**
   * The registry `mcp build` pushes to (MCR). With `username`, the push authenticates with an
   * MCIAS token for `service_name` as the password (`mcp login` caches one); without it,
   * podman's own login is used.
   */
  registry: z
    .strictObject({
      username: z.string().min(1).optional(),
      service_name: z.string().min(1).default("mcr"),
      /** The registry's CA certificate (PEM), when the system does not trust it. */
      ca_cert: z.string().min(1).optional(),
      tls_verify: z.boolean().default(true),
    })
    .optional(),
  nodes: z.array(nodeSchema).min(1, "at least one [[nodes]]"),
});

export type CliConfig = z.infer<typeof cliConfigSchema>;
export type NodeConfig = CliConfig["nodes"][number];

export function mcpConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), ".config"), "mcp");
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.MCP_CONFIG || join(mcpConfigDir(env), "mcp.toml");
}

export function servicesDir(c: CliConfig, env: NodeJS.ProcessEnv = process.env): string {
  return c.services.dir ?? join(mcpConfigDir(env), "services");
}

export function nodeNamed(c: CliConfig, name: string): NodeConfig {
  const n = c.nodes.find((x) => x.name === name);
  if (!n) throw AppError.notFound("unknown_node", `no node ${name} in mcp.toml`);
  return n;
}

export function loadCliConfig(path: string): CliConfig {
  try {
    return loadTomlDocument(cliConfigSchema, path);
  } catch (e) {
    if (e instanceof ConfigError)
      throw AppError.badRequest("invalid_config", e.message.replace(/\n\s*/g, " "));
    throw e;
  }
}
