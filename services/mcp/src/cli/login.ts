// `mcp login`: password (and TOTP when asked) to MCIAS for the agents' audience; the token is
// cached per (MCIAS URL, audience) with mode 0600 (mcdsl's token cache) for later mcp calls.
import { AuthClient } from "@metacircular/mcdsl/auth";
import { readSecret, saveToken } from "@metacircular/mcdsl/cli";
import { AppError } from "@metacircular/mcdsl/errors";
import type { CliConfig } from "./cli-config.ts";

export async function login(
  cfg: CliConfig,
  user: string | undefined,
): Promise<{ username: string; cached_in: string; expires_at: string }> {
  const username = user ?? process.env.MCIAS_USERNAME ?? "";
  if (!username) throw AppError.badRequest("username_required", "give a username");
  const password = await readSecret({ prompt: "Password: ", envVar: "MCIAS_PASSWORD" });
  const totp = process.stdin.isTTY
    ? await readSecret({ prompt: "TOTP code (empty if none): " })
    : "";
  const m = cfg.mcias;
  const auth = new AuthClient({
    serverUrl: m.url,
    serviceName: m.service_name,
    ...(m.ca_cert ? { caCert: m.ca_cert } : {}),
  });
  try {
    const r = await auth.login(username, password, totp || undefined);
    const path = saveToken(m.url, m.service_name, r.token);
    return { username, cached_in: path, expires_at: r.expiresAt.toISOString() };
  } finally {
    await auth.close();
  }
}
