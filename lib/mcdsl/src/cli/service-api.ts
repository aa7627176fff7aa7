// The connection every service CLI (mcnsctl, mcrctl, metacryptctl, ...) needs to its server's REST
// API: --server, --token, --token-file, --ca-cert and --mcias-url as global options (flag >
// environment > CLI profile > default), and a call that sends the token `mciasctl login --service
// <name>` cached for that MCIAS when no token is given. Failures are AppErrors with the server's
// stable code (`unavailable` when it cannot be reached).
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { JsonClient } from "../auth/index.ts";
import { type CliProfile, type ProfileState, profileEntry, profileOf } from "./profile.ts";
import { addSettings, profileWarning } from "./settings.ts";
import { loadToken } from "./token-cache.ts";

export interface ServiceConnection {
  /** The MCIAS audience of the service, e.g. "mcns": names the cached token. */
  service: string;
  /** How --help names the server, e.g. "MCNS API". */
  label: string;
  /** Prefix of the environment variables: MCNS gives MCNS_SERVER and MCNS_TOKEN. */
  envPrefix: string;
  /** The server URL in the CLI profile, when `npm start` writes one. */
  fromProfile?: (p: CliProfile) => string | null | undefined;
  /** The server URL when nothing else gives one. */
  fallback: string;
}

interface Globals {
  server: string;
  token?: string;
  tokenFile?: string;
  caCert?: string;
  mciasUrl?: string;
}

/** `fromProfile` for a service whose profile entry (written by `npm start`) has a `url`. */
export function profileUrl(service: string): (p: CliProfile) => string | undefined {
  return (p) => profileEntry(p, service)?.url;
}

/** Adds the connection options to `program` (global, so every subcommand takes them). */
export function addServiceConnection(
  program: Command,
  c: ServiceConnection,
  profile: ProfileState,
): void {
  program
    .option("--token-file <path>", "read the bearer token from a file")
    .option("--ca-cert <path>", "CA certificate for the server's TLS certificate");
  addSettings(
    program,
    [
      {
        flags: "--server <url>",
        description: `${c.label} base URL`,
        env: `${c.envPrefix}_SERVER`,
        ...(c.fromProfile ? { fromProfile: c.fromProfile } : {}),
        fallback: c.fallback,
      },
      {
        flags: "--token <token>",
        description: `bearer token issued for ${c.service} (default: the one \`mciasctl login --service ${c.service}\` cached)`,
        env: `${c.envPrefix}_TOKEN`,
        secret: true,
      },
      {
        flags: "--mcias-url <url>",
        description: "MCIAS the cached token came from",
        env: "MCIAS_URL",
        fromProfile: (p) => p.mcias.url,
      },
    ],
    profile,
  );
}

/** The bearer token for this command: --token, then --token-file, then the cached one. */
export function commandToken(cmd: Command, service: string): string | undefined {
  const o = cmd.optsWithGlobals() as Globals;
  if (o.token) return o.token;
  if (o.tokenFile) return readFileSync(o.tokenFile, "utf8").trim();
  return o.mciasUrl ? loadToken(o.mciasUrl, service) : undefined;
}

/**
 * One REST call with this command's settings: the JSON answer of a 2xx, otherwise an AppError.
 * A string body is sent as text/plain (zone files), anything else as JSON.
 */
export async function callService(
  cmd: Command,
  c: Pick<ServiceConnection, "service">,
  profile: ProfileState,
  req: { method: string; path: string; body?: unknown },
): Promise<unknown> {
  const warning = profileWarning(profile);
  if (warning) process.stderr.write(warning);
  const o = cmd.optsWithGlobals() as Globals;
  const token = commandToken(cmd, c.service);
  // An https server without --ca-cert: the CA of the local platform's profile, when loaded.
  const ca = o.caCert ?? profileOf(profile)?.ca_cert;
  const client = new JsonClient(o.server, o.server.startsWith("https:") ? ca : undefined);
  const payload = typeof req.body === "string" ? { text: req.body } : { body: req.body };
  try {
    return await client.call(req.method, req.path, { ...payload, token });
  } finally {
    client.close();
  }
}
