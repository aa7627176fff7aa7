// The real neighbours a node agent talks to, each a child process in a temp dir: MCIAS (testkit),
// MC-Proxy with an admin socket and one listener, MCNS with the service zone, and the agent's
// system account `mcp-agent` with a token for MCNS in a file (as an operator would issue it).
import { writeFileSync } from "node:fs";
import {
  type ChildService,
  createTestCA,
  freePort,
  freeTcpUdpPort,
  loginToken,
  type MciasInstance,
  makeTempDir,
  REPO_ROOT,
  startMcias,
  startProcess,
  type TempDir,
} from "@metacircular/testkit";
import { retry } from "./retry.ts";

export const ZONE = "svc.mcp.metacircular.net";

export interface TestPlatform {
  dir: TempDir;
  mcias: MciasInstance;
  proxy: { child: ChildService; socket: string; port: number };
  mcns: { child: ChildService; grpcUrl: string; dnsPort: number };
  /** The file holding mcp-agent's token for the mcns audience. */
  dnsTokenFile: string;
  /** A certificate for *.svc.mcp.metacircular.net and the CA that signed it (PEM). */
  cert: { cert: string; key: string; ca: string };
  stop(): Promise<void>;
}

async function startProxy(dir: TempDir, port: number): Promise<TestPlatform["proxy"]> {
  const socket = dir.join("mc-proxy.sock");
  const cfg = dir.join("mc-proxy.toml");
  writeFileSync(
    cfg,
    [
      "[server]",
      "workers = 0",
      'io = "node"',
      "shutdown_timeout_ms = 2000",
      "[admin]",
      `socket = ${JSON.stringify(socket)}`,
      "[database]",
      `path = ${JSON.stringify(dir.join("mc-proxy.db"))}`,
      "[[listeners]]",
      'name = "web"',
      `addr = "127.0.0.1:${port}"`,
      "",
    ].join("\n"),
  );
  const child = startProcess(`${REPO_ROOT}/services/mc-proxy/src/cmd/mc-proxy.ts`, {
    args: ["server", "--config", cfg],
  });
  await child.waitForLine(/"msg":"ready"/, 60_000);
  return { child, socket, port };
}

async function startMcns(dir: TempDir, mcias: MciasInstance): Promise<TestPlatform["mcns"]> {
  const dnsPort = await freeTcpUdpPort();
  const apiPort = await freePort();
  const grpcPort = await freePort();
  const cfg = dir.join("mcns.toml");
  writeFileSync(
    cfg,
    [
      "[server]",
      `listen_addr = "127.0.0.1:${apiPort}"`,
      `grpc_addr = "127.0.0.1:${grpcPort}"`,
      "[database]",
      `path = ${JSON.stringify(dir.join("mcns.sqlite"))}`,
      "[mcias]",
      `server_url = "${mcias.url}"`,
      'service_name = "mcns"',
      "[dns]",
      `listen_addr = "127.0.0.1:${dnsPort}"`,
      "rate_limit = 0",
      "[forwarding]",
      "enabled = false",
      "",
    ].join("\n"),
  );
  const child = startProcess(`${REPO_ROOT}/services/mcns/src/cmd/mcns.ts`, {
    args: ["server", "--config", cfg],
  });
  const admin = await loginToken(mcias, mcias.adminUsername, mcias.adminPassword, "mcns");
  await retry(async () => {
    const r = await fetch(`http://127.0.0.1:${apiPort}/v1/zones`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        name: ZONE,
        primary_ns: `ns1.${ZONE}`,
        admin_email: `hostmaster.${ZONE}`,
      }),
    });
    if (r.status !== 201 && r.status !== 200)
      throw new Error(`zone create: ${r.status} ${await r.text()}`);
  }, 60_000);
  return { child, grpcUrl: `http://127.0.0.1:${grpcPort}`, dnsPort };
}

export async function startPlatformParts(): Promise<TestPlatform> {
  const dir = makeTempDir("mcp-platform-");
  const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  const proxy = await startProxy(dir, await freePort());
  const mcns = await startMcns(dir, mcias);
  await mcias.createAccount("mcp-agent", { type: "system" });
  const dnsTokenFile = dir.join("mcns.token");
  writeFileSync(dnsTokenFile, await mcias.issueSystemToken("mcp-agent", "mcns"), { mode: 0o600 });
  const ca = createTestCA();
  const leaf = ca.issue([`*.${ZONE}`, ZONE]);
  return {
    dir,
    mcias,
    proxy,
    mcns,
    dnsTokenFile,
    cert: { cert: leaf.certPath, key: leaf.keyPath, ca: ca.cert },
    async stop() {
      await proxy.child.stop(10_000);
      await mcns.child.stop(10_000);
      await mcias.stop();
      ca.remove();
      dir.remove();
    },
  };
}

/**
 * The sections of an mcp-agent config every end-to-end test shares: its gRPC port and database,
 * MCIAS, node "testnode", the test podman, and MC-Proxy, MCNS and the static certificate of the
 * platform. Tests append their own sections ([images], [files], [deploy], [monitor], [log]).
 */
export function platformAgentToml(
  pf: TestPlatform,
  o: { grpcPort: number; dbPath: string; podmanSocket: string },
): string {
  return `[server]
grpc_addr = "127.0.0.1:${o.grpcPort}"
[database]
path = ${JSON.stringify(o.dbPath)}
[mcias]
server_url = "${pf.mcias.url}"
service_name = "mcp-agent"
[node]
name = "testnode"
[podman]
socket = ${JSON.stringify(o.podmanSocket)}
stop_timeout_seconds = 5
[ports]
min = 20000
max = 59000
[proxy]
socket = ${JSON.stringify(pf.proxy.socket)}
[dns]
url = "${pf.mcns.grpcUrl}"
token_file = ${JSON.stringify(pf.dnsTokenFile)}
zone = "${ZONE}"
[certs]
cert = ${JSON.stringify(pf.cert.cert)}
key = ${JSON.stringify(pf.cert.key)}
`;
}
