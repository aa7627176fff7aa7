// What the MCP agent needs from the rest of the local platform, set up once with the first
// admin's generated password (as mcat.ts does for its account): the system account `mcp-agent`
// with a token file per audience it calls (MCNS for records, Metacrypt for host certificates,
// MCR for pulls), the service zone in MCNS, a Metacrypt profile and policy rule letting the
// account issue names of that zone on the DEV CA mount, and an MCR rule letting it pull. Each
// step accepts "already there", so an interrupted run is simply run again; a marker file says
// everything is done.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonClient } from "@metacircular/mcdsl/auth";
import { loginFirstAdmin, recordSetupSkipped } from "../admin-password.ts";
import type { PlatformContext } from "../descriptor.ts";
import { loopback } from "./common.ts";
import { DEV_CA_MOUNT } from "./metacrypt.ts";
import { ensure, systemAccountTokens } from "./system-account.ts";

export const AGENT_ACCOUNT = "mcp-agent";
/** The agent's service zone: names under .localhost reach loopback without any DNS setup. */
export const AGENT_ZONE = "svc.mcp.localhost";
export const AGENT_CERT_PROFILE = "mcp-host";
const AUDIENCES = ["mcns", "metacrypt", "mcr"] as const;
type Audience = (typeof AUDIENCES)[number];

export const agentDir = (c: PlatformContext): string => c.layout.service("mcp-agent").dir;
export const tokenFile = (c: PlatformContext, audience: Audience): string =>
  join(agentDir(c), `${audience}.token`);
const doneFile = (c: PlatformContext) => join(agentDir(c), "provisioned");
/** Set-up given up for good (the first admin's password refused): no probe tries again. */
const skippedFile = (c: PlatformContext) => join(agentDir(c), "setup-skipped");

/** Set up, or nothing left to do (done before, or given up: the RUNBOOK's steps by hand). */
export function provisioned(c: PlatformContext): boolean {
  return existsSync(doneFile(c)) || existsSync(skippedFile(c));
}

const mciasUrl = (c: PlatformContext) => `http://${loopback(c.port("mciasHttp"))}`;

async function adminToken(c: PlatformContext, service: string): Promise<string> {
  const r = await loginFirstAdmin(mciasUrl(c), c.layout.passwordFile, service);
  if (r.kind === "refused") throw new Error(`admin login for ${service}: ${r.reason}`);
  return r.token;
}

async function metacryptIssuance(c: PlatformContext, token: string): Promise<void> {
  const api = new JsonClient(`http://${loopback(c.port("metacryptHttp"))}`);
  try {
    await api.call("POST", "/v1/engine/request", {
      token,
      body: {
        mount: DEV_CA_MOUNT,
        operation: "set-profile",
        data: {
          name: AGENT_CERT_PROFILE,
          issuer: "root",
          allowed_names: [`*.${AGENT_ZONE}`],
          max_ttl_days: 90,
          ext_key_usages: ["serverAuth"],
        },
      },
    });
    await api.call("PUT", "/v1/policy/rules/mcp-agent-hosts", {
      token,
      body: {
        id: "mcp-agent-hosts",
        effect: "allow",
        subject: `system:${AGENT_ACCOUNT}`,
        mount: DEV_CA_MOUNT,
        operations: ["issue"],
        names: [`*.${AGENT_ZONE}`],
      },
    });
  } finally {
    api.close();
  }
}

async function mcnsZone(c: PlatformContext, token: string): Promise<void> {
  const api = new JsonClient(`http://${loopback(c.port("mcnsHttp"))}`);
  try {
    const body = {
      name: AGENT_ZONE,
      primary_ns: `ns1.${AGENT_ZONE}`,
      admin_email: `hostmaster.${AGENT_ZONE}`,
    };
    await ensure(api, "/v1/zones", token, body);
  } finally {
    api.close();
  }
}

async function mcrPull(c: PlatformContext, token: string): Promise<void> {
  const api = new JsonClient(`https://${loopback(c.port("mcrHttps"))}`, c.layout.caCert);
  try {
    await api.call("POST", "/v1/policies", {
      token,
      body: {
        priority: 50,
        repository: "**",
        subject_kind: "system",
        subject: AGENT_ACCOUNT,
        actions: ["pull"],
        effect: "allow",
      },
    });
  } finally {
    api.close();
  }
}

/** Runs every step (MCIAS, MCNS, Metacrypt and MCR must answer), then writes the marker. */
export async function provisionAgent(c: PlatformContext): Promise<void> {
  if (provisioned(c)) return;
  const first = await loginFirstAdmin(mciasUrl(c), c.layout.passwordFile, "mcias");
  if (first.kind === "refused")
    return recordSetupSkipped(skippedFile(c), "mcp-agent", first.reason);
  const mcias = new JsonClient(mciasUrl(c));
  try {
    const files = Object.fromEntries(AUDIENCES.map((a) => [a, tokenFile(c, a)]));
    await systemAccountTokens(mcias, first.token, AGENT_ACCOUNT, files);
    await mcnsZone(c, await adminToken(c, "mcns"));
    await metacryptIssuance(c, await adminToken(c, "metacrypt"));
    await mcrPull(c, await adminToken(c, "mcr"));
  } finally {
    mcias.close();
  }
  writeFileSync(doneFile(c), `${new Date().toISOString()}\n`, { mode: 0o600 });
}
