// What every mcp command needs: the CLI config (--config > $MCP_CONFIG > ~/.config/mcp/mcp.toml),
// the token (--token > $MCP_TOKEN > the one `mcp login` cached for this MCIAS and audience), and
// the node a service lives on (--node > the node its definition names).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadToken } from "@metacircular/mcdsl/cli";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Command } from "commander";
import { definitionError, loadServiceDef } from "../servicedef/load.ts";
import type { ServiceDef } from "../servicedef/schema.ts";
import {
  type CliConfig,
  defaultConfigPath,
  loadCliConfig,
  type NodeConfig,
  nodeNamed,
  servicesDir,
} from "./cli-config.ts";

interface Globals {
  config?: string;
  token?: string;
  node?: string;
}

export interface CommandContext {
  cfg: CliConfig;
  token: string | undefined;
  /** --node, when given. */
  node: string | undefined;
}

export function context(cmd: Command): CommandContext {
  const o = cmd.optsWithGlobals() as Globals;
  const cfg = loadCliConfig(o.config ?? defaultConfigPath());
  const token =
    o.token ?? process.env.MCP_TOKEN ?? loadToken(cfg.mcias.url, cfg.mcias.service_name);
  return { cfg, token, node: o.node };
}

export function definitionPath(cfg: CliConfig, service: string): string {
  return join(servicesDir(cfg), `${service}.toml`);
}

/** A definition file, refused (invalid_definition) with every field and reason on one line. */
export function readDefinition(path: string): ServiceDef {
  try {
    return loadServiceDef(path);
  } catch (e) {
    throw definitionError(e);
  }
}

/** The node of a deployed service: --node, else the one its definition file names. */
export function serviceNode(c: CommandContext, service: string): NodeConfig {
  if (c.node) return nodeNamed(c.cfg, c.node);
  const path = definitionPath(c.cfg, service);
  if (!existsSync(path)) {
    throw AppError.badRequest("node_required", `no definition ${path}: give --node`);
  }
  return nodeNamed(c.cfg, readDefinition(path).node);
}
