// `mcp login`: password (and TOTP when asked) to MCIAS for the agents' audience; the token is
// cached per (MCIAS URL, audience) with mode 0600 (mcdsl's token cache) for later mcp calls.
// With a [registry] section, a second login caches a token for the registry's audience (MCR),
// the password `mcp build` pushes with.
import { AuthClient } from "@metacircular/mcdsl/auth";
import { readSecret, saveToken } from "@metacircular/mcdsl/cli";
import { AppError } from "@metacircular/mcdsl/errors";
import type { CliConfig } from "./cli-config.ts";

async function loginFor(
  cfg: CliConfig,
  serviceName: string,
  creds: { username: string; password: string; totp: string },
) {
  const m = cfg.mcias;
  const auth = new AuthClient({
    serverUrl: m.url,
    serviceName,
    ...(m.ca_cert ? { caCert: m.ca_cert } : {}),
  });
  try {
    const r = await auth.login(creds.username, creds.password, creds.totp || undefined);
    return { path: saveToken(m.url, serviceName, r.token), expiresAt: r.expiresAt };
  } finally {
    await auth.close();
  }
}

export async function login(
  cfg: CliConfig,
  user: string | undefined,
): Promise<{ username: string; cached_in: string; expires_at: string; registry: boolean }> {
  const username = user ?? process.env.MCIAS_USERNAME ?? "";
  if (!username) throw AppError.badRequest("username_required", "give a username");
  const password = await readSecret({ prompt: "Password: ", envVar: "MCIAS_PASSWORD" });
  const totp = process.stdin.isTTY
    ? await readSecret({ prompt: "TOTP code (empty if none): " })
    : "";
  const creds = { username, password, totp };
  const r = await loginFor(cfg, cfg.mcias.service_name, creds);
  if (cfg.registry) await loginFor(cfg, cfg.registry.service_name, creds);
  return {
    username,
    cached_in: r.path,
    expires_at: r.expiresAt.toISOString(),
    registry: Boolean(cfg.registry),
  };
}
