// The deployed Metacrypt bundle (dist/metacrypt.mjs, plain node, production Argon2id cost)
// started for a benchmark against a real MCIAS, initialised and unsealed, with an admin token.
// Options: `nodeArgs` go before the bundle (e.g. --cpu-prof for transit-profile.ts); `tls`
// serves HTTPS with that certificate (the ACME benchmark); `extraToml` is appended to the config.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
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

export interface BenchOptions {
  nodeArgs?: string[];
  tls?: { cert: string; key: string; ca: string };
  extraToml?: string;
}

type Answer = { status: number; text: string };

/** One HTTP(S) request; `ca` (a PEM file) is trusted for https URLs. */
function send(url: string, init: RequestInit, ca?: string): Promise<Answer> {
  if (!url.startsWith("https:"))
    return fetch(url, init).then(async (r) => ({ status: r.status, text: await r.text() }));
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: init.method ?? "GET",
        headers: init.headers as Record<string, string>,
        ca: ca === undefined ? undefined : readFileSync(ca),
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (d: Buffer) => parts.push(d));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }),
        );
      },
    );
    req.on("error", reject);
    req.end(init.body as string | undefined);
  });
}

async function waitHealthy(url: string, server: ChildService, ca?: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await send(`${url}/v1/health`, {}, ca).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`metacrypt did not become healthy: ${server.output()}`);
}

/** Starts MCIAS and the bundle (build it first: buildBundle()), then init + unseal. */
export async function startBenchMetacrypt(o: BenchOptions = {}): Promise<BenchMetacrypt> {
  const dir = makeTempDir("metacrypt-bench-");
  const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  const adminToken = await adminLogin(mcias);
  const port = await freePort();
  const url = `${o.tls ? "https" : "http"}://127.0.0.1:${port}`;
  const config = join(dir.path, "metacrypt.toml");
  const tlsToml = o.tls ? `tls_cert = "${o.tls.cert}"\ntls_key = "${o.tls.key}"\n` : "";
  writeFileSync(
    config,
    `[server]\nlisten_addr = "127.0.0.1:${port}"\n${tlsToml}[database]\npath = "${join(dir.path, "m.db")}"\n[log]\nlevel = "warn"
[mcias]\nserver_url = "${mcias.url}"\nservice_name = "metacrypt"\n${o.extraToml ?? ""}`,
  );
  const server = startProcess(process.execPath, {
    args: [...(o.nodeArgs ?? []), join(PKG, "dist/metacrypt.mjs"), "server", "--config", config],
    tsx: false,
  });
  await waitHealthy(url, server, o.tls?.ca);
  const call: BenchMetacrypt["call"] = async (method, path, body) => {
    const init: RequestInit = {
      method,
      headers: {
        Authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    const r = await send(`${url}${path}`, init, o.tls?.ca);
    let json: unknown = {};
    try {
      json = JSON.parse(r.text);
    } catch {}
    return { status: r.status, json };
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
