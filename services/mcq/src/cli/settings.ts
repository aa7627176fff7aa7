// Where the mcq CLI finds its server and token: flag > environment > CLI profile > default;
// the token falls back to the one `mcq login` (or `mciasctl login --service mcq`) cached.
import {
  commandToken,
  loadProfile,
  profileUrl,
  profileWarning,
  type ServiceConnection,
} from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import type { ApiClientOptions } from "./api-client.ts";

export const profile = loadProfile();

export const CONNECTION: ServiceConnection = {
  service: "mcq",
  label: "MCQ",
  envPrefix: "MCQ",
  fromProfile: profileUrl("mcq"),
  fallback: "http://127.0.0.1:8443",
};

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
  const token = commandToken(cmd, CONNECTION.service);
  return { server: o.server, token, caCert: o.caCert };
}
