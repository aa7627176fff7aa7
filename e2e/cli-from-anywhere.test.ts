// The operator's path end to end (issue 14): `npm start` on a free port base, then from a
// directory outside the checkout, with nothing but the CLI profile npm start wrote (no
// MCIAS_URL, MCNS_SERVER or MCPROXY_SOCKET in the environment), the BUNDLED CLIs on plain node:
// mciasctl logs in for MCNS with the generated password on stdin, mcnsctl creates a zone and a
// record that dig then gets from MCNS's DNS port, metacryptctl issues a certificate from
// Metacrypt's DEV CA into the work dir, and mcproxyctl adds an L7 route with it given by a
// relative path, which curl reaches through MC-Proxy's listener under that CA. Then SIGTERM stops the platform and no process of the run is left.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import {
  eventually,
  freePortBase,
  makeTempDir,
  platformMark,
  REPO_ROOT,
  startPlatform,
  stopPlatform,
} from "@metacircular/testkit";

const exec = promisify(execFile);
const mark = platformMark("cli-from-anywhere");
const tmp = makeTempDir("mc-e2e-cli-");
const work = join(tmp.path, "work");
const configHome = join(tmp.path, "xdg");
let backend: Server | undefined;

after(() => {
  backend?.close();
  mark.killAll();
  tmp.remove();
});

const CLIS = {
  mciasctl: "services/mcias/dist/mciasctl.mjs",
  mcnsctl: "services/mcns/dist/mcnsctl.mjs",
  mcproxyctl: "services/mc-proxy/dist/mcproxyctl.mjs",
  metacryptctl: "services/metacrypt/dist/metacryptctl.mjs",
} as const;

/** The services' own build scripts, for the bundles that are not there yet. */
async function ensureBundles(): Promise<void> {
  for (const path of Object.values(CLIS)) {
    if (existsSync(join(REPO_ROOT, path))) continue;
    await exec("npm", ["run", "build"], { cwd: join(REPO_ROOT, dirname(dirname(path))) });
  }
}

interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/**
 * `node <bundle> ...args` in the work dir, with only PATH, HOME and XDG_CONFIG_HOME set. Async:
 * the L7 backend runs in this process and must keep answering while a CLI waits.
 */
function cli(name: keyof typeof CLIS, args: string[], input = ""): Promise<CliResult> {
  const env = { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: configHome };
  const child = spawn(process.execPath, [join(REPO_ROOT, CLIS[name]), ...args], {
    cwd: work,
    env,
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  child.stderr.on("data", (b: Buffer) => {
    err += b.toString("utf8");
  });
  child.stdin.end(input);
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, out, err })));
}

function ok(r: CliResult, what: string): string {
  assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.err}${r.out}`);
  return r.out;
}

function startBackend(): Promise<number> {
  backend = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`backend saw ${req.headers.host}\n`);
  });
  return new Promise((resolve) =>
    backend!.listen(0, "127.0.0.1", () => resolve((backend!.address() as AddressInfo).port)),
  );
}

async function dig(dnsPort: string, name: string): Promise<string> {
  const r = await exec("dig", ["@127.0.0.1", "-p", dnsPort, name, "A", "+short", "+tries=1"]);
  return r.stdout.trim();
}

async function curl(caCert: string, host: string, port: string): Promise<string> {
  try {
    const r = await exec("curl", [
      "-sS",
      "--fail",
      "--max-time",
      "10",
      "--cacert",
      caCert,
      "--resolve",
      `${host}:${port}:127.0.0.1`,
      `https://${host}:${port}/hello`,
    ]);
    return r.stdout;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

test("npm start, then the bundled CLIs from outside the checkout with only the profile", async () => {
  await ensureBundles();
  mkdirSync(work, { recursive: true });
  assert.ok(!work.startsWith(`${REPO_ROOT}/`), `${work} is inside the checkout`);
  const base = await freePortBase();
  const dataDir = join(tmp.path, "platform");
  const run = startPlatform({ dataDir, configHome, mark, args: ["--port-base", String(base)] });
  await run.waitFor(/Metacircular is ready/);

  const profile = JSON.parse(readFileSync(join(configHome, "metacircular/profile.json"), "utf8"));
  const passwordFile: string = profile.admin.password_file;
  const caCert: string = profile.ca_cert;
  const dnsPort = String(profile.mcns.dns_addr).split(":")[1]!;
  const webPort = String(profile.mc_proxy.listen_addr).split(":")[1]!;
  assert.equal(webPort, String(base));

  // 1. A token MCNS accepts, cached for mcnsctl; the password comes as one line on stdin.
  const login = await cli(
    "mciasctl",
    ["login", "admin", "--service", "mcns"],
    readFileSync(passwordFile, "utf8"),
  );
  ok(login, "mciasctl login");
  assert.match(login.err, /token for mcns cached/);

  // 2. A zone and a record through mcnsctl; MCNS's DNS listener answers with it.
  assert.match(
    ok(await cli("mcnsctl", ["zone", "create", "e2e.test"]), "zone create"),
    /e2e\.test/,
  );
  ok(await cli("mcnsctl", ["record", "add", "e2e.test", "www", "A", "127.0.0.42"]), "record add");
  assert.match(ok(await cli("mcnsctl", ["record", "list", "e2e.test"]), "record list"), /www/);
  assert.ok(
    await eventually(async () => (await dig(dnsPort, "www.e2e.test")) === "127.0.0.42", 30_000),
    `dig answered: ${await dig(dnsPort, "www.e2e.test")}`,
  );

  // 3. A certificate from Metacrypt's DEV CA (mount pki) written into the work dir, and an L7
  // route whose certificate and key are given relative to it.
  const host = "app.localhost";
  ok(
    await cli(
      "mciasctl",
      ["login", "admin", "--service", "metacrypt"],
      readFileSync(passwordFile, "utf8"),
    ),
    "mciasctl login metacrypt",
  );
  const issued = await cli("metacryptctl", [
    "ca",
    "issue",
    "pki",
    "--profile",
    "dev-localhost",
    "--cn",
    host,
    "--out",
    "app",
  ]);
  assert.match(ok(issued, "metacryptctl ca issue"), /issued .* app\.pem, app\.key/);
  const backendPort = await startBackend();
  const add = await cli("mcproxyctl", [
    "routes",
    "add",
    "web",
    host,
    `127.0.0.1:${backendPort}`,
    "--mode",
    "l7",
    "--cert",
    "app.pem",
    "--key",
    "./app.key",
  ]);
  assert.match(ok(add, "routes add"), /added app\.localhost/);
  assert.match(ok(await cli("mcproxyctl", ["routes", "list"]), "routes list"), /app\.localhost/);
  const want = `backend saw ${host}:${webPort}`;
  assert.ok(
    await eventually(async () => (await curl(caCert, host, webPort)).includes(want), 30_000),
    `curl got: ${await curl(caCert, host, webPort)}`,
  );

  // 4. SIGTERM to the pid npm runs under: exit 0, nothing of the run left.
  await stopPlatform(run, mark);
});
