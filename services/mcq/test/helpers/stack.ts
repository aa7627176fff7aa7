// A real MCIAS child process (lib/testkit) and an in-process mcq on a loopback port, configured
// through a real mcq.toml; accounts for each kind of caller and tokens issued by MCIAS.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@metacircular/mcdsl/log";
import { freePort, type MciasInstance, startMcias, tempDirFor } from "@metacircular/testkit";
import { type McqHandle, startMcq } from "../../src/app.ts";
import { loadMcqConfig } from "../../src/config.ts";

export interface Stack {
  mcias: MciasInstance;
  mcq: McqHandle;
  url: string;
  /** The gRPC listener's URL (with `grpc: true`). */
  grpcUrl: string;
  dir: string;
  /** A token from MCIAS for `audience` (default "mcq"). */
  token(user: string, audience?: string): Promise<string>;
  api(method: string, path: string, token?: string, body?: unknown): Promise<Response>;
}

export const PASSWORD = "correct-horse-battery-staple";
export const USERS = { alice: ["user"], bob: ["user"], gus: ["guest"] } as const;

export async function login(
  m: MciasInstance,
  user: string,
  audience = "mcq",
  password = user === m.adminUsername ? m.adminPassword : PASSWORD,
): Promise<string> {
  const r = await fetch(`${m.url}/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: user, password, service_name: audience }),
  });
  if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

/** [status, error code] of a refused REST call. */
export async function failure(r: Response): Promise<[number, string]> {
  return [r.status, ((await r.json()) as { error: { code: string } }).error.code];
}

export async function startStack(
  t: { after(fn: () => unknown): void },
  /** users: false leaves out alice, bob and gus (for testkit's matrixPrincipals). */
  opts: { extraToml?: string; users?: boolean; grpc?: boolean } = {},
): Promise<Stack> {
  const dir = tempDirFor(t, "mcq-test-").path;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const mcias = await startMcias({
    extraToml: [
      "[[sso_clients]]",
      'client_id = "mcq-web"',
      `redirect_uri = "${url}/sso/callback"`,
      'service_name = "mcq"',
      "[policy]",
      'default = "allow"',
    ].join("\n"),
  });
  t.after(() => mcias.stop());
  if (opts.users !== false)
    for (const [name, roles] of Object.entries(USERS))
      await mcias.createAccount(name, { password: PASSWORD, roles: [...roles] });
  const cfgPath = join(dir, "mcq.toml");
  const grpc = opts.grpc ? `grpc_addr = "127.0.0.1:${await freePort()}"\n` : "";
  writeFileSync(
    cfgPath,
    `[server]\nlisten_addr = "127.0.0.1:${port}"\n${grpc}[database]\npath = "${join(dir, "mcq.db")}"
[log]\nlevel = "silent"\n[mcias]\nserver_url = "${mcias.url}"\nservice_name = "mcq"
[sso]\nclient_id = "mcq-web"\nredirect_uri = "${url}/sso/callback"
[web]\nsecure_cookies = false\n${opts.extraToml ?? ""}`,
  );
  const cfg = loadMcqConfig(cfgPath, {});
  const mcq = await startMcq(cfg, { logger: createLogger({ service: "mcq", level: "silent" }) });
  t.after(() => mcq.close());
  return {
    mcias,
    mcq,
    url,
    grpcUrl: mcq.grpc?.url ?? "",
    dir,
    token: (user, audience) => login(mcias, user, audience),
    api: (method, path, token, body) =>
      fetch(`${url}${path}`, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}
