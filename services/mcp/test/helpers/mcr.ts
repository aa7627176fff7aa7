// A real MCR process over TLS (a throwaway CA for 127.0.0.1) in front of the test's MCIAS, with
// a policy letting `pullers` (system accounts) pull and `pushers` (users) push and pull every
// repository, set through MCR's admin API as an operator would.
import { writeFileSync } from "node:fs";
import { JsonClient } from "@metacircular/mcdsl/auth";
import {
  type ChildService,
  createTestCA,
  freePort,
  loginToken,
  type MciasInstance,
  makeTempDir,
  REPO_ROOT,
  startProcess,
  type TempDir,
} from "@metacircular/testkit";

export interface TestMcr {
  dir: TempDir;
  child: ChildService;
  /** host:port, as image references name the registry. */
  host: string;
  url: string;
  /** The CA that signed MCR's certificate (PEM file). */
  caCert: string;
  /** MCR's audit entries for an action ("push", "pull"), newest first. */
  audit(action: string): Promise<Array<{ actor: string; repository: string }>>;
  stop(): Promise<void>;
}

function mcrToml(
  dir: TempDir,
  port: number,
  leaf: { certPath: string; keyPath: string },
  mciasUrl: string,
): string {
  return [
    "[server]",
    `listen_addr = "127.0.0.1:${port}"`,
    `tls_cert = ${JSON.stringify(leaf.certPath)}`,
    `tls_key = ${JSON.stringify(leaf.keyPath)}`,
    "shutdown_timeout_ms = 2000",
    "[database]",
    `path = ${JSON.stringify(dir.join("mcr.sqlite"))}`,
    "[storage]",
    `path = ${JSON.stringify(dir.join("store"))}`,
    "[log]",
    'level = "info"',
    "[mcias]",
    `server_url = "${mciasUrl}"`,
    'service_name = "mcr"',
    "",
  ].join("\n");
}

export async function startMcr(
  mcias: MciasInstance,
  access: { pullers: string[]; pushers: string[] },
): Promise<TestMcr> {
  const dir = makeTempDir("mcp-mcr-");
  const ca = createTestCA("MCP test MCR CA");
  const leaf = ca.issue(["127.0.0.1", "localhost"]);
  const port = await freePort();
  writeFileSync(dir.join("mcr.toml"), mcrToml(dir, port, leaf, mcias.url));
  const child = startProcess(`${REPO_ROOT}/services/mcr/src/cmd/mcr.ts`, {
    args: ["server", "--config", dir.join("mcr.toml")],
  });
  await child.waitForLine(/mcr started/, 60_000);
  const url = `https://127.0.0.1:${port}`;
  const client = new JsonClient(url, ca.certPath);
  const admin = await loginToken(mcias, mcias.adminUsername, mcias.adminPassword, "mcr");
  const api = (method: string, path: string, body?: unknown) =>
    client.call(method, path, { token: admin, ...(body ? { body } : {}) });
  let priority = 10;
  const rules = [
    ...access.pullers.map((s) => ({ kind: "system", s, actions: ["pull"] })),
    ...access.pushers.map((s) => ({ kind: "user", s, actions: ["pull", "push"] })),
  ];
  for (const r of rules) {
    await api("POST", "/v1/policies", {
      priority: priority++,
      repository: "**",
      subject_kind: r.kind,
      subject: r.s,
      actions: r.actions,
      effect: "allow",
    });
  }
  return {
    dir,
    child,
    host: `127.0.0.1:${port}`,
    url,
    caCert: ca.certPath,
    async audit(action) {
      const j = (await api("GET", `/v1/audit?action=${action}&limit=100`)) as {
        entries: Array<{ actor: string; repository: string }>;
      };
      return j.entries;
    },
    async stop() {
      await child.stop(10_000);
      client.close();
      ca.remove();
      dir.remove();
    },
  };
}
