// Starts a REAL mcias child process for tests: a temp dir with its own SQLite file and config,
// fast Argon2id parameters (unless overridden), a bootstrapped admin and an admin token.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createTestCA, type Leaf, type TestCA } from "./ca.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const ENTRY = join(ROOT, "services/mcias/src/cmd/mcias.ts");

export interface StartMciasOptions {
  /** Directory for the config and database; a fresh temp dir (removed on stop) by default. */
  dir?: string;
  /** Argon2id parameters; default m=1024 KiB, t=1 (fast, for tests). */
  argon2?: { memory_kib?: number; time_cost?: number; max_concurrent?: number; max_queue?: number };
  /** Extra TOML appended to the generated config (e.g. a [protection] or [policy] section). */
  extraToml?: string;
  /** Serve TLS 1.3 with a leaf from a throwaway CA (for 127.0.0.1 and localhost). */
  tls?: boolean;
  /** Also serve gRPC (on a free loopback port); its URL is `grpcUrl`. */
  grpc?: boolean;
  /** Extra environment for the child. */
  env?: Record<string, string>;
  /** Extra node flags for the child (e.g. --cpu-prof for a benchmark profile). */
  nodeArgs?: string[];
  /**
   * Entry point to run; default the TypeScript source under tsx. A `.mjs` path (the deployable
   * bundle, services/mcias/dist/mcias.mjs after `npm run build`) runs on plain node.
   */
  entry?: string;
  /**
   * Bootstrap admin password; pass the previous instance's when restarting on the same dir.
   * "" sets none, so the server generates and prints one (the helper's admin login then fails).
   */
  adminPassword?: string;
}

export interface McAccountOptions {
  type?: "human" | "system";
  roles?: ("admin" | "user" | "guest")[];
  password?: string;
}

export interface McTestAccount {
  id: string;
  username: string;
  type: string;
  roles: string[];
}

export interface MciasInstance {
  url: string;
  /** h2c URL of the gRPC listener when started with `grpc: true`. */
  grpcUrl?: string;
  /** The CA that signed the server certificate, when started with `tls: true`. */
  caCertPath?: string;
  dir: string;
  /** Process id of the mcias child. */
  pid: number;
  dbPath: string;
  configPath: string;
  adminUsername: string;
  adminPassword: string;
  adminToken: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  createAccount(name: string, opts?: McAccountOptions): Promise<McTestAccount>;
  /** A system token for `audience`: the one service (its service name) the token is for. */
  issueSystemToken(name: string, audience: string): Promise<string>;
  /** fetch against the instance with the admin token (or `token`) as bearer. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  stop(): Promise<void>;
}

interface Listening {
  url: string;
  grpcUrl?: string;
}

function waitForUrl(
  child: ChildProcess,
  out: { text: string },
  timeoutMs: number,
): Promise<Listening> {
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.stdout?.off("data", check);
      reject(new Error(`mcias did not start:\n${out.text}`));
    }, timeoutMs);
    // Scan only complete lines not seen before, and stop listening once ready: rescanning all
    // output on every chunk made a chatty server's harness quadratic (and slowed its reads).
    let scanned = 0;
    const check = () => {
      const end = out.text.lastIndexOf("\n") + 1;
      if (end <= scanned) return;
      const fresh = out.text.slice(scanned, end);
      scanned = end;
      for (const line of fresh.split("\n")) {
        if (!line.includes('"event":"ready"')) continue;
        try {
          const rec = JSON.parse(line) as { url?: string; grpcUrl?: string };
          if (rec.url) {
            clearTimeout(timer);
            child.stdout?.off("data", check);
            resolveUrl(rec.grpcUrl ? { url: rec.url, grpcUrl: rec.grpcUrl } : { url: rec.url });
            return;
          }
        } catch {
          // not a JSON line
        }
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`mcias exited with ${code} before listening:\n${out.text}`));
    });
  });
}

function childEnv(
  extra: Record<string, string> | undefined,
  adminPassword: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (adminPassword) env.MCIAS_BOOTSTRAP_ADMIN_PASSWORD = adminPassword;
  else delete env.MCIAS_BOOTSTRAP_ADMIN_PASSWORD;
  return env;
}

function configToml(opts: StartMciasOptions, dbPath: string, leaf: Leaf | undefined): string {
  const a = { memory_kib: 1024, time_cost: 1, max_concurrent: 4, max_queue: 64, ...opts.argon2 };
  return [
    "[server]",
    'listen_addr = "127.0.0.1:0"',
    ...(opts.grpc ? ['grpc_addr = "127.0.0.1:0"'] : []),
    ...(leaf
      ? [`tls_cert = ${JSON.stringify(leaf.certPath)}`, `tls_key = ${JSON.stringify(leaf.keyPath)}`]
      : []),
    "shutdown_timeout_ms = 2000",
    "[database]",
    `path = ${JSON.stringify(dbPath)}`,
    "[argon2]",
    `memory_kib = ${a.memory_kib}`,
    `time_cost = ${a.time_cost}`,
    `max_concurrent = ${a.max_concurrent}`,
    `max_queue = ${a.max_queue}`,
    opts.extraToml ?? "",
  ].join("\n");
}

/** The running child, everything it printed, and a promise of its exit. */
interface Child {
  child: ChildProcess;
  out: { text: string };
  exited: Promise<void>;
}

function spawnMcias(opts: StartMciasOptions, configPath: string, adminPassword: string): Child {
  const child = spawn(
    process.execPath,
    [
      ...(opts.nodeArgs ?? []),
      ...(opts.entry?.endsWith(".mjs") ? [opts.entry] : ["--import", "tsx", opts.entry ?? ENTRY]),
      "server",
      "--config",
      configPath,
    ],
    { cwd: ROOT, env: childEnv(opts.env, adminPassword), stdio: ["ignore", "pipe", "pipe"] },
  );
  const out = { text: "" };
  const collect = (d: string) => {
    out.text += d;
  };
  child.stdout?.setEncoding("utf8").on("data", collect);
  child.stderr?.setEncoding("utf8").on("data", collect);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return { child, out, exited };
}

type RawRequest = (
  method: string,
  path: string,
  body: unknown,
  token: string | undefined,
) => Promise<Response>;

/** One HTTP(S) request through node:http (trusting `caPem`), answered as a fetch Response. */
function requester(url: string, caPem: string | undefined): RawRequest {
  return (method, path, body, token) =>
    new Promise<Response>((resolveRes, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const target = new URL(path, url);
      const send = target.protocol === "https:" ? httpsRequest : httpRequest;
      const headers = {
        ...(payload
          ? { "content-type": "application/json", "content-length": payload.length }
          : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      };
      const req = send(target, { method, ...(caPem ? { ca: caPem } : {}), headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
          const status = res.statusCode ?? 500;
          const text = Buffer.concat(chunks);
          resolveRes(new Response(status === 204 ? null : text, { status, headers: h }));
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(payload);
    });
}

/** The admin helpers of an instance, over its REST API with the admin token. */
function adminHelpers(api: MciasInstance["api"]) {
  return {
    async createAccount(name: string, o: McAccountOptions = {}) {
      const type = o.type ?? "human";
      const res = await api("POST", "/v1/accounts", {
        username: name,
        type,
        roles: o.roles ?? (type === "human" ? ["user"] : []),
        ...(o.password === undefined ? {} : { password: o.password }),
      });
      if (res.status !== 201)
        throw new Error(`createAccount ${name}: ${res.status} ${await res.text()}`);
      return (await res.json()) as McTestAccount;
    },
    async issueSystemToken(name: string, audience: string) {
      const res = await api("POST", "/v1/token/issue", { username: name, audience });
      if (res.status !== 201)
        throw new Error(`issueSystemToken ${name}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
  };
}

/** An `[[sso_clients]]` entry for `extraToml`: a platform SSO client MCIAS will accept. */
export function ssoClientToml(clientId: string, redirectUri: string, serviceName: string): string {
  return [
    "[[sso_clients]]",
    `client_id = ${JSON.stringify(clientId)}`,
    `redirect_uri = ${JSON.stringify(redirectUri)}`,
    `service_name = ${JSON.stringify(serviceName)}`,
  ].join("\n");
}

export async function startMcias(opts: StartMciasOptions = {}): Promise<MciasInstance> {
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "mcias-test-"));
  const dbPath = join(dir, "mcias.db");
  const configPath = join(dir, "mcias.toml");
  const ca: TestCA | undefined = opts.tls ? createTestCA("MCIAS Test CA") : undefined;
  const leaf = ca?.issue(["127.0.0.1", "localhost"]);
  writeFileSync(configPath, configToml(opts, dbPath, leaf));
  const adminPassword = opts.adminPassword ?? `boot-${randomBytes(12).toString("base64url")}`;
  const { child, out, exited } = spawnMcias(opts, configPath, adminPassword);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    }
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    ca?.remove();
  };

  let listening: Listening;
  try {
    // Generous: on a loaded 2-core machine tsx start-up plus first-run key generation (Ed25519,
    // and RSA for the OIDC provider) took over 20 s.
    listening = await waitForUrl(child, out, 90_000);
  } catch (e) {
    await stop();
    throw e;
  }

  const url = listening.url;
  const raw = requester(url, ca?.cert);
  const login = await raw(
    "POST",
    "/v1/auth/login",
    { username: "admin", password: adminPassword },
    undefined,
  );
  if (!login.ok) {
    await stop();
    throw new Error(`admin login failed: ${login.status} ${await login.text()}\n${out.text}`);
  }
  const adminToken = ((await login.json()) as { token: string }).token;
  const api = (method: string, path: string, body?: unknown, token?: string) =>
    raw(method, path, body, token ?? adminToken);

  return {
    url,
    ...(ca ? { caCertPath: ca.certPath } : {}),
    ...(listening.grpcUrl ? { grpcUrl: listening.grpcUrl } : {}),
    dir,
    pid: child.pid ?? 0,
    dbPath,
    configPath,
    adminUsername: "admin",
    adminPassword,
    adminToken,
    output: () => out.text,
    api,
    ...adminHelpers(api),
    stop,
  };
}
