// A service's own MCIAS system account, set up by npm start with a first-admin token: the
// account (created, or already there) and one token file (0600) per audience it calls.
import { writeFileSync } from "node:fs";
import type { JsonClient } from "@metacircular/mcdsl/auth";

/** A 2xx, or a refusal meaning the thing exists already (409). */
export async function ensure(client: JsonClient, path: string, token: string, body: unknown) {
  const r = await client.request("POST", path, { token, body });
  if ((r.status < 200 || r.status > 299) && r.status !== 409)
    throw new Error(`POST ${path}: ${r.status} ${r.text.slice(0, 200)}`);
}

/** Creates (or finds) system account `username` and writes a token per audience to its file. */
export async function systemAccountTokens(
  mcias: JsonClient,
  admin: string,
  username: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  await ensure(mcias, "/v1/accounts", admin, { username, type: "system" });
  for (const [audience, file] of Object.entries(files)) {
    const r = await mcias.request("POST", "/v1/token/issue", {
      token: admin,
      body: { username, audience },
    });
    const token = (r.body as { token?: string } | undefined)?.token;
    if (!token) throw new Error(`token for ${username}, audience ${audience}: ${r.status}`);
    writeFileSync(file, token, { mode: 0o600 });
  }
}
