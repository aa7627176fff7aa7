// Real registry clients for tests: skopeo and podman, each with its own throwaway settings
// (policy.json, registries.conf, auth file, storage root) and the test CA given through
// --cert-dir, so nothing under /etc or $HOME is read or written.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ClientResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<ClientResult> {
  try {
    const r = await run(cmd, args, { env, maxBuffer: 64 << 20, timeout: 300_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === "number" ? e.code : 1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? String(err),
    };
  }
}

export interface ClientEnv {
  dir: string;
  certDir: string;
  policy: string;
  registriesConf: string;
  env: NodeJS.ProcessEnv;
}

export function clientEnv(dir: string, certDir: string): ClientEnv {
  mkdirSync(dir, { recursive: true });
  const policy = join(dir, "policy.json");
  writeFileSync(policy, JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
  const registriesConf = join(dir, "registries.conf");
  writeFileSync(registriesConf, "unqualified-search-registries = []\n");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_RUNTIME_DIR: join(dir, "run"),
    XDG_CONFIG_HOME: join(dir, "config"),
    REGISTRY_AUTH_FILE: join(dir, "auth.json"),
    CONTAINERS_REGISTRIES_CONF: registriesConf,
    TMPDIR: join(dir, "tmp"),
  };
  mkdirSync(join(dir, "run"), { recursive: true, mode: 0o700 });
  mkdirSync(join(dir, "tmp"), { recursive: true });
  return { dir, certDir, policy, registriesConf, env };
}

/** skopeo with the test settings; `creds` is "user:password". */
export function skopeo(c: ClientEnv, args: string[]): Promise<ClientResult> {
  return exec(
    "skopeo",
    ["--policy", c.policy, "--registries-conf", c.registriesConf, ...args],
    c.env,
  );
}

export function skopeoCopy(
  c: ClientEnv,
  src: string,
  dest: string,
  creds: string,
  extra: string[] = [],
): Promise<ClientResult> {
  return skopeo(c, [
    "copy",
    "--dest-cert-dir",
    c.certDir,
    "--dest-creds",
    creds,
    "--src-cert-dir",
    c.certDir,
    "--src-creds",
    creds,
    ...extra,
    src,
    dest,
  ]);
}

/**
 * podman as root with everything of its own: storage under `dir` (vfs driver), runroot, auth
 * file, registries.conf and a containers.conf naming runc (crun where runc is not installed;
 * pulling and pushing run no container) with low default ulimits.
 */
export function podmanEnv(c: ClientEnv): { args: string[]; env: NodeJS.ProcessEnv } {
  const conf = join(c.dir, "containers.conf");
  writeFileSync(
    conf,
    [
      "[containers]",
      'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
      "[engine]",
      `runtime = "${existsSync("/usr/bin/runc") || existsSync("/usr/sbin/runc") ? "runc" : "crun"}"`,
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      "",
    ].join("\n"),
  );
  const storage = join(c.dir, "storage.conf");
  writeFileSync(
    storage,
    `[storage]\ndriver = "vfs"\nrunroot = ${JSON.stringify(join(c.dir, "runroot"))}\ngraphroot = ${JSON.stringify(join(c.dir, "root"))}\n`,
  );
  return {
    args: [
      "--root",
      join(c.dir, "root"),
      "--runroot",
      join(c.dir, "runroot"),
      "--storage-driver",
      "vfs",
    ],
    env: { ...c.env, CONTAINERS_CONF: conf, CONTAINERS_STORAGE_CONF: storage },
  };
}

export function podman(c: ClientEnv, args: string[]): Promise<ClientResult> {
  const p = podmanEnv(c);
  return exec("podman", [...p.args, ...args], p.env);
}
