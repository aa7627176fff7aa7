// metacryptctl's connection: server and token from flags > METACRYPT_SERVER/METACRYPT_TOKEN > the
// token `mciasctl login --service metacrypt` cached; REST calls through mcdsl's JsonClient;
// failures become AppError with the server's stable code.

import { readFileSync } from "node:fs";
import { JsonClient } from "@metacircular/mcdsl/auth";
import { addSettings, loadProfile, loadToken, type SettingSpec } from "@metacircular/mcdsl/cli";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Command } from "commander";

const profile = loadProfile();

const SETTINGS: SettingSpec[] = [
  {
    flags: "--server <url>",
    description: "Metacrypt API base URL",
    env: "METACRYPT_SERVER",
    fallback: "http://127.0.0.1:8443",
  },
  {
    flags: "--token <token>",
    description:
      "bearer token issued for metacrypt (default: the one `mciasctl login --service metacrypt` cached)",
    env: "METACRYPT_TOKEN",
    secret: true,
  },
  {
    flags: "--mcias-url <url>",
    description: "MCIAS the cached token came from",
    env: "MCIAS_URL",
    fromProfile: (p) => p.mcias.url,
  },
];

export function addConnectionOptions(program: Command): void {
  program
    .option("--token-file <path>", "read the bearer token from a file")
    .option("--ca-cert <path>", "CA certificate for the API's TLS certificate");
  addSettings(program, SETTINGS, profile);
}

interface Globals {
  server: string;
  token?: string;
  tokenFile?: string;
  caCert?: string;
  mciasUrl?: string;
}

export async function call(
  cmd: Command,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: each command reads the fields of its own JSON answer
): Promise<any> {
  const o = cmd.optsWithGlobals() as Globals;
  const token =
    o.token ??
    (o.tokenFile ? readFileSync(o.tokenFile, "utf8").trim() : undefined) ??
    (o.mciasUrl ? loadToken(o.mciasUrl, "metacrypt") : undefined);
  const client = new JsonClient(o.server, o.server.startsWith("https:") ? o.caCert : undefined);
  try {
    const res = await client
      .request(method, path, {
        ...(body === undefined ? {} : { body }),
        ...(token ? { token } : {}),
      })
      .catch((e: Error) => {
        throw AppError.unavailable(`cannot reach ${o.server}: ${e.message}`);
      });
    if (res.status >= 400) {
      const e = (res.body as { error?: { code?: string; message?: string } } | null)?.error;
      throw new AppError(res.status, e?.code ?? "http_error", e?.message ?? `HTTP ${res.status}`);
    }
    return res.body;
  } finally {
    client.close();
  }
}

/** One engine operation through POST /v1/engine/request. */
export function engine(
  cmd: Command,
  mount: string,
  operation: string,
  data: object = {},
  // biome-ignore lint/suspicious/noExplicitAny: each command reads the fields of its own JSON answer
): Promise<any> {
  return call(cmd, "POST", "/v1/engine/request", { mount, operation, data });
}
