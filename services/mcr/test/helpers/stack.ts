// The usual test stack: a real MCIAS (login policy open) and a real MCR over TLS in front of
// it, with a registry client, an admin-API client and a scratch directory, stopped together.
import { readFileSync } from "node:fs";
import { JsonClient } from "@metacircular/mcdsl/auth";
import { type MciasInstance, makeTempDir, startMcias, type TempDir } from "@metacircular/testkit";
import { startTestMcr, type TestMcr, type TestMcrOptions } from "./mcr.ts";
import { RegistryClient } from "./registry-client.ts";

export interface Stack {
  mcias: MciasInstance;
  mcr: TestMcr;
  reg: RegistryClient;
  api: JsonClient;
  tmp: TempDir;
  /** "admin:password", as registry clients take credentials. */
  creds: string;
  /** A registry token for the MCIAS admin with these scopes. */
  adminToken(...scopes: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** An MCIAS login token for `service` (default mcr: the admin API's audience). */
export async function mciasLogin(
  mcias: MciasInstance,
  username: string,
  password: string,
  service = "mcr",
): Promise<string> {
  const r = await mcias.api(
    "POST",
    "/v1/auth/login",
    { username, password, service_name: service },
    "",
  );
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

export async function startStack(o: TestMcrOptions = {}): Promise<Stack> {
  const sso = o.web
    ? `[[sso_clients]]\nclient_id = "${o.web.clientId}"\nredirect_uri = "${o.web.redirectUri}"\nservice_name = "mcr"\n`
    : "";
  const mcias = await startMcias({ extraToml: `${sso}[policy]\ndefault = "allow"\n` });
  const mcr = await startTestMcr(mcias, o).catch(async (err) => {
    await mcias.stop();
    throw err;
  });
  const reg = new RegistryClient(mcr.url, readFileSync(mcr.caCertPath, "utf8"));
  const api = new JsonClient(mcr.url, mcr.caCertPath);
  const tmp = makeTempDir("mcr-stack-");
  return {
    mcias,
    mcr,
    reg,
    api,
    tmp,
    creds: `${mcias.adminUsername}:${mcias.adminPassword}`,
    adminToken: (...scopes) => reg.token(mcias.adminUsername, mcias.adminPassword, scopes),
    async stop() {
      api.close();
      await mcr.stop();
      await mcias.stop();
      tmp.remove();
    },
  };
}
