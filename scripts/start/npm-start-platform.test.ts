// The whole platform through the real `npm start`: every service healthy, Metacrypt in DEV mode
// (unseal password 0600, labelled in the output), MCQ through MC-Proxy's L7 route with a
// certificate openssl and curl verify against Metacrypt's CA, MCR's registry API through the
// L4 route (401 + WWW-Authenticate, then skopeo copy and inspect of a real OCI image, with
// mcr.localhost resolved in a private mount namespace), mcrctl and mcq through the CLI profile,
// the MCP agent (its own podman service) answering `mcp agent status` and `mcp ps` through the
// mcp.toml npm start wrote and deploying an image it pulls from MCR; single sign-on: Debian
// Chromium, with every *.localhost name on MC-Proxy's listener, opens each web UI (MCQ, MCR UI,
// Metacrypt, MCAT), is sent to MCIAS's own sign-in page at https://mcias.localhost:<web port>
// (never to MCIAS's loopback port), signs in as the first admin and lands back on the UI, which
// shows the name. Then a restart on other ports keeps every certificate and writes the SSO
// clients anew: MCIAS accepts the new redirect URIs and the sign-in works there too.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { ownPodman } from "@metacircular/mcp/own-podman";
import { busyboxContext } from "@metacircular/mcp/test-podman";
import {
  freePortBase,
  makeTempDir,
  platformMark,
  REPO_ROOT,
  ssoSignIn,
  startPlatform,
  stopPlatform,
  textOf,
} from "@metacircular/testkit";
import { ociImage, skopeoAsMcrLocalhost } from "./oci-test-image.ts";
import { platformBrowser } from "./platform-browser.ts";
import { SERVICES } from "./registry.ts";
import { MCIAS_HOST } from "./services/common.ts";

const run = promisify(execFile);
const mark = platformMark("npm-start-platform");
const tmp = makeTempDir("mc-start-all-");
const dataDir = join(tmp.path, "platform");
const configHome = join(tmp.path, "xdg");
const caCert = join(dataDir, "ca/ca.crt");

// The agent's podman CLI: its own storage under the data dir, as an operator builds with it.
const agentPodman = ownPodman(join(dataDir, "mcp-agent/podman"));
const podman = (args: string[]) =>
  run("podman", [...agentPodman.global, ...args], {
    env: agentPodman.env,
    maxBuffer: 16 << 20,
    timeout: 300_000,
  });

after(async () => {
  mark.killAll();
  // Containers a failed run left behind (a passing one undeployed them).
  if (existsSync(agentPodman.dir))
    await podman(["rm", "--all", "--force", "--time", "0"]).catch(() => undefined);
  // The data dir's path is too long for podman's runroot, which went to /tmp.
  rmSync(agentPodman.runroot, { recursive: true, force: true });
  tmp.remove();
});

/**
 * A deploy through the agent: an image built into the agent's podman, pushed to MCR as the
 * admin and removed again, so the agent pulls it with its system account's token; served
 * through MC-Proxy's L7 route with a certificate Metacrypt issued, named in MCNS; undeployed.
 */
async function deployThroughAgent(
  base: number,
  mcp: (args: string[]) => Promise<string>,
): Promise<void> {
  const profile = JSON.parse(readFileSync(join(configHome, "metacircular/profile.json"), "utf8"));
  const ref = `${new URL(profile.mcr.url).host}/demo/web:v1.0.0`;
  const password = readFileSync(join(dataDir, "admin-password"), "utf8").trim();
  await busyboxContext(join(tmp.path, "web"), "served by the local agent\n");
  await podman(["build", "--quiet", "--tag", ref, join(tmp.path, "web")]);
  const certDir = join(tmp.path, "mcr-ca");
  mkdirSync(certDir);
  copyFileSync(caCert, join(certDir, "ca.crt"));
  await podman(["push", "--quiet", "--cert-dir", certDir, "--creds", `admin:${password}`, ref]);
  await podman(["rmi", ref]);
  writeFileSync(
    join(dataDir, "mcp-agent/services/web.toml"),
    `name = "web"\nnode = "local"\n[[components]]\nname = "web"\nimage = "${ref}"\n[[components.routes]]\nport = ${base}\nmode = "l7"\n`,
  );
  await mcp(["deploy", "web"]);
  assert.match(await curl("web.svc.mcp.localhost", base, "/"), /served by the local agent/);
  const dns = profile.mcns.dns_addr.split(":");
  const { stdout } = await run("dig", [
    "+short",
    `@${dns[0]}`,
    "-p",
    dns[1],
    "web.svc.mcp.localhost",
  ]);
  assert.equal(stdout.trim(), "127.0.0.1");
  await mcp(["undeploy", "web"]);
}

const WEB_UIS = ["mcq.localhost", "mcr-ui.localhost", "metacrypt.localhost", "mcat.localhost"];
/** Page loads on a loaded 2-core machine (MCIAS hashes the password with Argon2id). */
const PAGE_MS = 120_000;

/** Signs in to each UI in `hosts` through MCIAS; each shows the signed-in user's name. */
async function signInThrough(webPort: number, hosts: readonly string[]): Promise<void> {
  const password = readFileSync(join(dataDir, "admin-password"), "utf8").trim();
  const mcias = `https://${MCIAS_HOST}:${webPort}`;
  const browser = await platformBrowser(dataDir, [MCIAS_HOST, ...hosts]);
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(PAGE_MS);
    for (const host of hosts) {
      const app = `https://${host}:${webPort}`;
      await ssoSignIn(page, app, mcias, "admin", password);
      assert.equal(await textOf(page.locator('form[action="/logout"] span')), "admin", host);
    }
  } finally {
    await browser.close();
  }
}

/** curl through MC-Proxy's listener with the name resolved to loopback. */
async function curl(host: string, port: number, path: string, extra: string[] = []) {
  const r = await run("curl", [
    "-sS",
    "--max-time",
    "20",
    "--cacert",
    caCert,
    "--resolve",
    `${host}:${port}:127.0.0.1`,
    ...extra,
    `https://${host}:${port}${path}`,
  ]);
  return r.stdout;
}

/** A CLI from the checkout, with only the profile of this run to find the platform. */
async function cli(bin: string, args: string[], stdinFile?: string): Promise<string> {
  const env = { PATH: process.env.PATH, HOME: tmp.path, XDG_CONFIG_HOME: configHome };
  const cmd = stdinFile ? `${bin} ${args.join(" ")} < '${stdinFile}'` : `${bin} ${args.join(" ")}`;
  const r = await run("sh", ["-c", `exec node --import tsx ${cmd}`], { cwd: REPO_ROOT, env });
  return r.stdout + r.stderr;
}

test("npm start runs the whole platform behind MC-Proxy under Metacrypt's CA", async () => {
  const base = await freePortBase();
  const start = (portBase: number) =>
    startPlatform({ dataDir, configHome, mark, args: ["--port-base", String(portBase)] });
  const first = start(base);
  await first.waitFor(/Metacircular is ready/);
  const out = first.output();
  for (const { name } of SERVICES) assert.match(out, new RegExp(`^${name} +healthy after`, "m"));
  assert.match(out, /metacrypt DEV MODE: initialised the barrier, created CA mount pki/);
  assert.match(out, /DEV MODE +CA mount pki/);
  const unseal = join(dataDir, "metacrypt/dev-unseal-password");
  assert.equal(statSync(unseal).mode & 0o777, 0o600);
  assert.match(out, /npx mcq push README\.md/);

  // MCQ through the L7 route: curl and openssl both verify the leaf against Metacrypt's CA.
  assert.match(await curl("mcq.localhost", base, "/v1/health"), /"status":"ok"/);
  // MCR's web UI through its L7 route (the registry API itself is the L4 route below).
  assert.match(await curl("mcr-ui.localhost", base, "/v1/health"), /"service":"mcr-web"/);
  const { stdout: verify } = await run("sh", [
    "-c",
    `openssl s_client -connect 127.0.0.1:${base} -servername mcq.localhost -CAfile '${caCert}' -verify_return_error -brief </dev/null 2>&1`,
  ]);
  assert.match(verify, /Verification: OK/);
  assert.match(readFileSync(caCert, "utf8"), /BEGIN CERTIFICATE/);
  const { stdout: subject } = await run("openssl", ["x509", "-in", caCert, "-noout", "-subject"]);
  assert.match(subject, /Metacircular DEV CA/);

  // MCR through the L4 route: MCR's own TLS (same CA), the registry's Bearer challenge.
  const v2 = await curl("mcr.localhost", base, "/v2/", ["-i"]);
  assert.match(v2, /^HTTP\/1\.1 401/);
  assert.match(v2, /www-authenticate: Bearer realm="https:\/\/mcr\.localhost:\d+\/v2\/token"/i);
  const password = readFileSync(join(dataDir, "admin-password"), "utf8").trim();
  const image = ociImage(join(tmp.path, "image"));
  const ref = `mcr.localhost:${base}/demo/hello:v1`;
  const certDir = join(tmp.path, "certs.d");
  const skopeo = (args: string[]) => skopeoAsMcrLocalhost(tmp.path, args);
  await skopeo([
    "copy",
    "--dest-cert-dir",
    certDir,
    "--dest-creds",
    `admin:${password}`,
    `oci:${image.dir}:v1`,
    `docker://${ref}`,
  ]);
  const inspected = await skopeo([
    "inspect",
    "--cert-dir",
    certDir,
    "--creds",
    `admin:${password}`,
    `docker://${ref}`,
  ]);
  assert.equal(JSON.parse(inspected).Digest, image.manifestDigest);

  // The CLIs through the profile: mcrctl over MCR's TLS, mcq push.
  const pwFile = join(dataDir, "admin-password");
  for (const svc of ["mcr", "mcq"])
    await cli("services/mcias/src/cmd/mciasctl.ts", ["login", "admin", "--service", svc], pwFile);
  assert.match(await cli("services/mcr/src/cmd/mcrctl.ts", ["repositories"]), /demo\/hello/);
  assert.match(
    await cli("services/mcq/src/cmd/mcq.ts", ["push", join(REPO_ROOT, "README.md")]),
    /created readme/i,
  );

  // The MCP agent on its own podman service: `mcp` through the CLI config npm start wrote.
  const mcpToml = join(dataDir, "mcp-agent/mcp.toml");
  assert.match(out, new RegExp(`npx mcp --config ${mcpToml} ps`));
  const mcp = (args: string[], stdinFile?: string) =>
    cli("services/mcp/src/cmd/mcp.ts", ["--config", mcpToml, ...args], stdinFile);
  await mcp(["login", "admin"], pwFile);
  const status = await mcp(["agent", "status", "--json"]);
  assert.match(status, /"node": ?"local"/);
  assert.match(status, /"podman": ?"\d+\.\d+/);
  assert.match(status, /"error": ?""/);
  for (const on of ["proxy", "dns", "pull"]) assert.match(status, new RegExp(`"${on}": ?true`));
  await mcp(["ps"]);
  await deployThroughAgent(base, mcp);
  await signInThrough(base, WEB_UIS);
  const podmanPid = join(dataDir, "mcp-agent/podman/podman-service.pid");
  assert.ok(existsSync(podmanPid), "the agent's podman service runs");
  await stopPlatform(first, mark);
  assert.ok(!existsSync(podmanPid), "the agent stopped its podman service");

  // A second start on other ports keeps every certificate (Metacrypt is not asked again),
  // unseals again, and writes the SSO clients anew: the redirect URIs follow the web port.
  const leaf = readFileSync(join(dataDir, "ca/mcq.localhost.crt"), "utf8");
  let moved = await freePortBase();
  while (moved === base) moved = await freePortBase();
  const second = start(moved);
  await second.waitFor(/Metacircular is ready/);
  assert.doesNotMatch(second.output(), /issued \d+ certificate/);
  assert.match(second.output(), /^metacrypt +healthy after/m);
  assert.equal(readFileSync(join(dataDir, "ca/mcq.localhost.crt"), "utf8"), leaf);
  assert.match(await curl("mcq.localhost", moved, "/v1/health"), /"status":"ok"/);
  const mciasToml = readFileSync(join(dataDir, "mcias/mcias.toml"), "utf8");
  assert.ok(mciasToml.includes(`"https://mcq.localhost:${moved}/sso/callback"`), mciasToml);
  assert.ok(!mciasToml.includes(`:${base}/`), mciasToml);
  await signInThrough(moved, ["mcq.localhost"]);
  await stopPlatform(second, mark);
});
