// Metacrypt in DEV MODE: initialised, unsealed and given a CA mount ("pki") offline by
// `metacrypt dev-bootstrap` before anything starts (platform-ca.ts), which also issues every
// certificate the platform serves. The unseal password lives in <data>/metacrypt/ (0600); the
// health probe unseals the server with it after every (re)start. Never for real secrets. Its web
// UI signs in through MCIAS SSO.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PlatformContext, ServiceDescriptor } from "../descriptor.ts";
import {
  GENERATED,
  l7Route,
  local,
  loopback,
  mciasSection,
  q,
  serverLaunch,
  ssoSection,
  webSso,
  writeToml,
} from "./common.ts";

const HOST = "metacrypt.localhost";
const sso = webSso(HOST, "metacrypt");
export const DEV_CA_MOUNT = "pki";

export function devUnsealFile(c: PlatformContext): string {
  return join(c.layout.service("metacrypt").dir, "dev-unseal-password");
}

function toml(c: PlatformContext): string {
  return `${GENERATED}# DEV MODE: unsealed by npm start with ${devUnsealFile(c)}.
[server]
listen_addr = ${local(c.port("metacryptHttp"))}
shutdown_timeout_ms = 3000

[database]
path = ${q(c.layout.service("metacrypt").db)}

${mciasSection(c, "metacrypt")}
${ssoSection(c, sso(c))}`;
}

async function json(url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  return res.ok ? res.json() : undefined;
}

/** Healthy = answering and unsealed; a sealed server is unsealed with the dev password. */
async function unsealedHealthy(c: PlatformContext): Promise<boolean> {
  const base = `http://${loopback(c.port("metacryptHttp"))}/v1/sys`;
  try {
    const s = (await json(`${base}/status`)) as { sealed?: boolean } | undefined;
    if (!s) return false;
    if (!s.sealed) return true;
    const password = readFileSync(devUnsealFile(c), "utf8").trim();
    const after = (await json(`${base}/unseal`, { password })) as { sealed?: boolean } | undefined;
    return after?.sealed === false;
  } catch {
    return false;
  }
}

export const metacrypt: ServiceDescriptor = {
  name: "metacrypt",
  envPrefixes: ["METACRYPT_"],
  ports: [{ key: "metacryptHttp", offset: 7, label: "Metacrypt REST API" }],
  routes: l7Route(HOST, "metacryptHttp"),
  ssoClient: sso,
  writeConfig: writeToml("metacrypt", toml),
  launch: serverLaunch("metacrypt"),
  healthy: unsealedHealthy,
  ready: (c) => [
    {
      title: "Metacrypt",
      url: c.origin(HOST),
      direct: `http://${loopback(c.port("metacryptHttp"))}`,
      credentials: "MCIAS token for service metacrypt",
    },
    {
      title: "  DEV MODE",
      url: `CA mount ${DEV_CA_MOUNT}`,
      direct: "auto-unsealed with",
      credentials: devUnsealFile(c),
    },
  ],
  nextSteps: (c) => [
    `  npx mciasctl login admin --service metacrypt${c.passwordStdin} >/dev/null`,
    `  npx metacryptctl ca certs ${DEV_CA_MOUNT}   # every certificate the platform serves`,
  ],
  profile: {
    key: "metacrypt",
    entry: (c) => ({
      url: `http://${loopback(c.port("metacryptHttp"))}`,
      web_url: c.origin(HOST),
      ca_mount: DEV_CA_MOUNT,
    }),
  },
};
