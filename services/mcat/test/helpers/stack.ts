// A real MCIAS child process (lib/testkit) and an in-process mcat on a loopback port configured
// through a real mcat.toml: MCAT's system account `mcat` (named in MCIAS's [policy]
// tool_accounts, its token for audience "mcias" in a file) and an SSO client for MCAT.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@metacircular/mcdsl/log";
import { freePort, type MciasInstance, startMcias, tempDirFor } from "@metacircular/testkit";
import { type McatHandle, startMcat } from "../../src/app.ts";
import { loadMcatConfig } from "../../src/config.ts";

export interface Stack {
  mcias: MciasInstance;
  mcat: McatHandle;
  url: string;
  dir: string;
  /** A request to mcat with an optional Bearer token. */
  page(method: string, path: string, token?: string): Promise<Response>;
}

export async function startStack(
  t: { after(fn: () => unknown): void },
  opts: { policyDefault?: "allow" | "deny" } = {},
): Promise<Stack> {
  const dir = tempDirFor(t, "mcat-test-").path;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const mcias = await startMcias({
    extraToml: [
      "[[sso_clients]]",
      'client_id = "mcat-web"',
      `redirect_uri = "${url}/sso/callback"`,
      'service_name = "mcat"',
      "[policy]",
      `default = "${opts.policyDefault ?? "allow"}"`,
      'tool_accounts = ["mcat"]',
    ].join("\n"),
  });
  t.after(() => mcias.stop());
  await mcias.createAccount("mcat", { type: "system" });
  const tokenFile = join(dir, "mcat-mcias.token");
  writeFileSync(tokenFile, await mcias.issueSystemToken("mcat", "mcias"), { mode: 0o600 });
  const cfgPath = join(dir, "mcat.toml");
  writeFileSync(
    cfgPath,
    `[server]\nlisten_addr = "127.0.0.1:${port}"\n[log]\nlevel = "silent"
[mcias]\nserver_url = "${mcias.url}"\nservice_name = "mcat"\nadmin_token_file = "${tokenFile}"
[sso]\nclient_id = "mcat-web"\nredirect_uri = "${url}/sso/callback"
[web]\nsecure_cookies = false\n`,
  );
  const cfg = loadMcatConfig(cfgPath, {});
  const mcat = await startMcat(cfg, { logger: createLogger({ service: "mcat", level: "silent" }) });
  t.after(() => mcat.close());
  return {
    mcias,
    mcat,
    url,
    dir,
    page: (method, path, token) =>
      fetch(`${url}${path}`, {
        method,
        redirect: "manual",
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      }),
  };
}
