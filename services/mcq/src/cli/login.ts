// `mcq login`: password (and TOTP when asked) to MCIAS for the audience "mcq"; the token is
// cached per (MCIAS URL, "mcq") with mode 0600 for later mcq calls.
import { AuthClient } from "@metacircular/mcdsl/auth";
import { readSecret, saveToken } from "@metacircular/mcdsl/cli";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Globals } from "./settings.ts";

export async function login(
  g: Globals,
  user: string | undefined,
): Promise<{ username: string; cached_in: string; expires_at: string }> {
  if (!g.mciasUrl)
    throw AppError.badRequest(
      "mcias_url_required",
      "set --mcias-url or MCIAS_URL (or a CLI profile)",
    );
  const username = user ?? process.env.MCIAS_USERNAME ?? "";
  if (!username) throw AppError.badRequest("username_required", "give a username");
  const password = await readSecret({ prompt: "Password: ", envVar: "MCIAS_PASSWORD" });
  const totp = process.stdin.isTTY
    ? await readSecret({ prompt: "TOTP code (empty if none): " })
    : "";
  const auth = new AuthClient({
    serverUrl: g.mciasUrl,
    serviceName: "mcq",
    ...(g.caCert ? { caCert: g.caCert } : {}),
  });
  try {
    const r = await auth.login(username, password, totp || undefined);
    const path = saveToken(g.mciasUrl, "mcq", r.token);
    return { username, cached_in: path, expires_at: r.expiresAt.toISOString() };
  } finally {
    await auth.close();
  }
}
