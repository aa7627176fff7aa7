// Where the mcq CLI finds its server and token: flag > environment > CLI profile > default;
// the token falls back to the one `mcq login` (or `mciasctl login --service mcq`) cached.
import { readFileSync } from "node:fs";
import { loadProfile, loadToken, profileWarning, type SettingSpec } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import type { ApiClientOptions } from "./api-client.ts";

export const profile = loadProfile();

export const SETTINGS: SettingSpec[] = [
  {
    flags: "--server <url>",
    description: "MCQ base URL",
    env: "MCQ_SERVER",
    fallback: "http://127.0.0.1:8443",
  },
  {
    flags: "--token <token>",
    description: "bearer token issued for mcq (default: the one `mcq login` cached)",
    env: "MCQ_TOKEN",
    secret: true,
  },
  {
    flags: "--mcias-url <url>",
    description: "MCIAS to log in to and whose cached token to use",
    env: "MCIAS_URL",
    fromProfile: (p) => p.mcias.url,
  },
];

export interface Globals {
  server: string;
  token?: string;
  tokenFile?: string;
  caCert?: string;
  mciasUrl?: string;
}

export function globals(cmd: Command): Globals {
  return cmd.optsWithGlobals() as Globals;
}

export function apiOptions(cmd: Command): ApiClientOptions {
  const warning = profileWarning(profile);
  if (warning) process.stderr.write(warning);
  const o = globals(cmd);
  const token =
    o.token ??
    (o.tokenFile ? readFileSync(o.tokenFile, "utf8").trim() : undefined) ??
    (o.mciasUrl ? loadToken(o.mciasUrl, "mcq") : undefined);
  return { server: o.server, token, caCert: o.caCert };
}
