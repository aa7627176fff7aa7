// The real metacrypt server as a child process (tsx source or the dist bundle) on a config file
// written here, authenticating against a real MCIAS.

import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  type ChildService,
  freePort,
  type MciasInstance,
  startProcess,
} from "@metacircular/testkit";

export const PKG = resolve(import.meta.dirname, "../..");
export const SERVER_TS = join(PKG, "src/cmd/metacrypt.ts");

export interface ServerFiles {
  config: string;
  db: string;
  url: string;
}

export async function writeServerConfig(dir: string, mcias: MciasInstance): Promise<ServerFiles> {
  const port = await freePort();
  const db = join(dir, "metacrypt.sqlite");
  const config = join(dir, "metacrypt.toml");
  writeFileSync(
    config,
    `[server]\nlisten_addr = "127.0.0.1:${port}"\n[database]\npath = "${db}"\n[log]\nlevel = "info"
[mcias]\nserver_url = "${mcias.url}"\nservice_name = "metacrypt"
[seal]\nargon2_memory_kib = 1024\nargon2_time = 1\nargon2_parallelism = 1\n`,
  );
  return { config, db, url: `http://127.0.0.1:${port}` };
}

export async function startServer(files: ServerFiles, entry = SERVER_TS): Promise<ChildService> {
  const child = startProcess(entry.endsWith(".ts") ? entry : process.execPath, {
    args: [...(entry.endsWith(".ts") ? [] : [entry]), "server", "--config", files.config],
    ...(entry.endsWith(".ts") ? {} : { tsx: false }),
  });
  await child.waitForLine(/metacrypt started/, 90_000);
  return child;
}

export async function loginFor(mcias: MciasInstance, service = "metacrypt"): Promise<string> {
  const r = await fetch(`${mcias.url}/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: mcias.adminUsername,
      password: mcias.adminPassword,
      service_name: service,
    }),
  });
  if (r.status !== 200) throw new Error(`login: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}
