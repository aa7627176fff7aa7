// The deployed Metacrypt bundle (dist/metacrypt.mjs, plain node, production Argon2id cost)
// started for a benchmark against a real MCIAS, initialised and unsealed, with an admin token.
// `nodeArgs` go before the bundle (e.g. --cpu-prof for transit-profile.ts).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ChildService,
  freePort,
  type MciasInstance,
  makeTempDir,
  startMcias,
  startProcess,
} from "@metacircular/testkit";

export const PKG = join(import.meta.dirname, "../../services/metacrypt");
const PASSWORD = "benchmark unseal password";

export interface BenchMetacrypt {
  url: string;
  pid: number;
  adminToken: string;
  mcias: MciasInstance;
  /** Milliseconds the unseal took (Argon2id + unwrapping the master key). */
  unsealMs: number;
  /** An admin call: JSON body in, status and JSON out. */
  // biome-ignore lint/suspicious/noExplicitAny: the benchmarks read a few fields of JSON answers
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

export function buildBundle(): void {
  execFileSync("npm", ["run", "build"], { cwd: PKG, stdio: "inherit" });
}

/** The admin's token for the audience metacrypt (mcias.adminToken is for MCIAS itself). */
async function adminLogin(mcias: MciasInstance): Promise<string> {
  const body = {
    username: mcias.adminUsername,
    password: mcias.adminPassword,
    service_name: "metacrypt",
  };
  const login = await mcias.api("POST", "/v1/auth/login", body);
  return ((await login.json()) as { token: string }).token;
}

async function waitHealthy(url: string, server: ChildService): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${url}/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`metacrypt did not become healthy: ${server.output()}`);
}

/** Starts MCIAS and the bundle (build it first: buildBundle()), then init + unseal. */
export async function startBenchMetacrypt(nodeArgs: string[] = []): Promise<BenchMetacrypt> {
  const dir = makeTempDir("metacrypt-bench-");
  const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  const adminToken = await adminLogin(mcias);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(dir.path, "metacrypt.toml");
  writeFileSync(
    config,
    `[server]\nlisten_addr = "127.0.0.1:${port}"\n[database]\npath = "${join(dir.path, "m.db")}"\n[log]\nlevel = "warn"
[mcias]\nserver_url = "${mcias.url}"\nservice_name = "metacrypt"\n`,
  );
  const server = startProcess(process.execPath, {
    args: [...nodeArgs, join(PKG, "dist/metacrypt.mjs"), "server", "--config", config],
    tsx: false,
  });
  await waitHealthy(url, server);
  const call: BenchMetacrypt["call"] = async (method, path, body) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, json: await r.json().catch(() => ({})) };
  };
  await call("POST", "/v1/sys/init", { password: PASSWORD });
  const t0 = performance.now();
  await call("POST", "/v1/sys/unseal", { password: PASSWORD });
  const unsealMs = Math.round(performance.now() - t0);
  return {
    url,
    pid: server.proc.pid!,
    adminToken,
    mcias,
    unsealMs,
    call,
    stop: async () => {
      await server.stop();
      await mcias.stop();
      dir.remove();
    },
  };
}
