// Starts a real metacrypt in-process on 127.0.0.1:0 with a temp SQLite file and a cheap Argon2id
// (tests only), plus a small JSON client.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Identity, TokenValidator } from "@metacircular/mcdsl/http";
import { type Logger, silentLogger } from "@metacircular/mcdsl/log";
import { type MetacryptHandle, startMetacrypt } from "../../src/app.ts";
import { configSchema } from "../../src/config.ts";

export const FAST_SEAL = { argon2_memory_kib: 256, argon2_time: 1, argon2_parallelism: 1 };
export const PASSWORD = "correct horse battery staple";

export const IDENTITIES: Record<string, Identity> = {
  "tok-admin": { username: "root", accountType: "human", roles: ["admin"] },
  "tok-agent": { username: "mcp-agent", accountType: "system", roles: [] },
  "tok-alice": { username: "alice", accountType: "human", roles: ["user"] },
};

export const staticValidator: TokenValidator = {
  async validate(token: string) {
    return IDENTITIES[token] ?? null;
  },
};

export interface TestMetacrypt extends MetacryptHandle {
  dir: string;
  url: string;
  stop(): Promise<void>;
}

export async function startTestMetacrypt(
  extra: Record<string, unknown> = {},
  opts: { validator?: TokenValidator; logger?: Logger } = {},
): Promise<TestMetacrypt> {
  const dir = mkdtempSync(join(tmpdir(), "metacrypt-test-"));
  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    database: { path: join(dir, "metacrypt.sqlite") },
    log: { level: "silent" },
    mcias: { server_url: "http://127.0.0.1:1", service_name: "metacrypt" },
    seal: FAST_SEAL,
    ...extra,
  });
  // With an [mcias] section from the caller the real AuthClient validates tokens.
  const validator = extra.mcias ? opts.validator : (opts.validator ?? staticValidator);
  const logger = opts.logger ?? silentLogger();
  const h = await startMetacrypt(cfg, validator ? { logger, validator } : { logger });
  return {
    ...h,
    dir,
    url: h.api.url,
    async stop() {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: tests assert on JSON bodies field by field
export type Reply = { status: number; json: Record<string, any>; body: Buffer };

export function client(base: string, token?: string) {
  return async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const r = await fetch(`${base}${path}`, { method, headers, body: payload });
    const buf = Buffer.from(await r.arrayBuffer());
    let json: Reply["json"] = {};
    try {
      json = JSON.parse(buf.toString("utf8"));
    } catch {
      json = {};
    }
    return { status: r.status, json, body: buf };
  };
}

/** Initialise with a password, unseal, and return an admin client. */
export async function readyAdmin(url: string, token = "tok-admin") {
  const admin = client(url, token);
  const init = await admin("POST", "/v1/sys/init", { password: PASSWORD });
  if (init.status !== 201) throw new Error(`init: ${init.status} ${JSON.stringify(init.json)}`);
  const un = await client(url)("POST", "/v1/sys/unseal", { password: PASSWORD });
  if (un.status !== 200 || un.json.sealed) throw new Error(`unseal: ${JSON.stringify(un.json)}`);
  return admin;
}

/** A CA mount with a root, an intermediate and a profile for *.svc.mcp.metacircular.net. */
export async function setupCa(
  admin: ReturnType<typeof client>,
  mount = "pki",
  keys: { root?: string; intermediate?: string } = {},
): Promise<void> {
  const ok = async (p: Promise<Reply>) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.json)}`);
    return r;
  };
  const req = (operation: string, data: unknown) =>
    ok(admin("POST", "/v1/engine/request", { mount, operation, data }));
  await ok(admin("POST", "/v1/mounts", { name: mount, type: "ca" }));
  await req("create-root", {
    common_name: `Metacircular Test Root (${mount})`,
    key_type: keys.root ?? "ec-p384",
  });
  await req("create-intermediate", {
    name: "services",
    common_name: `Metacircular Services (${mount})`,
    key_type: keys.intermediate ?? "ec-p256",
  });
  await req("set-profile", {
    name: "svc",
    issuer: "services",
    allowed_names: ["*.svc.mcp.metacircular.net", "metacrypt.metacircular.net"],
    max_ttl_days: 90,
    ext_key_usages: ["serverAuth", "clientAuth"],
  });
}
