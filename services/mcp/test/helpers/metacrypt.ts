// A real Metacrypt process beside the test platform: MCIAS validates its tokens (audience
// metacrypt); initialised and unsealed over its REST API, with a CA mount "pki" (root and a
// "services" intermediate), profiles "host" (90 days) and "short" (10 days) for
// *.svc.mcp.metacircular.net, a policy rule letting mcp-agent issue those names, and
// mcp-agent's token for the metacrypt audience in a file.
import { writeFileSync } from "node:fs";
import {
  type ChildService,
  freePort,
  loginToken,
  type MciasInstance,
  REPO_ROOT,
  startProcess,
  type TempDir,
} from "@metacircular/testkit";
import { ZONE } from "./platform.ts";
import { retry } from "./retry.ts";

export interface TestMetacrypt {
  child: ChildService;
  url: string;
  /** The CA mount's root certificate (PEM): what a relying party trusts. */
  rootPem: string;
  rootFile: string;
  /** The file holding mcp-agent's token for the metacrypt audience. */
  tokenFile: string;
}

type Call = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

function caller(url: string, token?: string): Call {
  return async (method, path, body) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await r.json().catch(() => ({}))) as Record<string, unknown>;
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
}

async function setupCa(admin: Call): Promise<string> {
  const req = (operation: string, data: unknown) =>
    admin("POST", "/v1/engine/request", { mount: "pki", operation, data });
  await admin("POST", "/v1/mounts", { name: "pki", type: "ca" });
  await req("create-root", { common_name: "MCP Test Root", key_type: "ec-p256" });
  await req("create-intermediate", {
    name: "services",
    common_name: "MCP Test Services",
    key_type: "ec-p256",
  });
  await req("set-profile", {
    name: "host",
    issuer: "services",
    allowed_names: [`*.${ZONE}`],
    max_ttl_days: 90,
    ext_key_usages: ["serverAuth"],
  });
  // Certificates of 10 days: always within Metacrypt's 30-day reuse margin, so every issue is a
  // new certificate (what a renewal test needs).
  await req("set-profile", {
    name: "short",
    issuer: "services",
    allowed_names: [`*.${ZONE}`],
    max_ttl_days: 10,
    ext_key_usages: ["serverAuth"],
  });
  await admin("PUT", "/v1/policy/rules/mcp-agent-hosts", {
    id: "mcp-agent-hosts",
    effect: "allow",
    subject: "system:mcp-agent",
    mount: "pki",
    operations: ["issue"],
    names: [`*.${ZONE}`],
  });
  const { chain } = (await req("get-chain", { issuer: "root" })) as { chain?: string[] };
  const root = (chain ?? []).at(-1);
  if (!root) throw new Error("no root certificate in the chain");
  return root;
}

export async function startMetacrypt(dir: TempDir, mcias: MciasInstance): Promise<TestMetacrypt> {
  const port = await freePort();
  const cfg = dir.join("metacrypt.toml");
  writeFileSync(
    cfg,
    [
      "[server]",
      `listen_addr = "127.0.0.1:${port}"`,
      "[database]",
      `path = ${JSON.stringify(dir.join("metacrypt.sqlite"))}`,
      "[mcias]",
      `server_url = "${mcias.url}"`,
      'service_name = "metacrypt"',
      "[seal]",
      "argon2_memory_kib = 256",
      "argon2_time = 1",
      "argon2_parallelism = 1",
      "",
    ].join("\n"),
  );
  const child = startProcess(`${REPO_ROOT}/services/metacrypt/src/cmd/metacrypt.ts`, {
    args: ["server", "--config", cfg],
  });
  await child.waitForLine(/metacrypt started/, 60_000);
  const url = `http://127.0.0.1:${port}`;
  const token = await loginToken(mcias, mcias.adminUsername, mcias.adminPassword, "metacrypt");
  const admin = caller(url, token);
  const password = "mcp test unseal password";
  await retry(() => admin("POST", "/v1/sys/init", { password }), 60_000);
  await caller(url)("POST", "/v1/sys/unseal", { password });
  const rootPem = await setupCa(admin);
  const rootFile = dir.join("metacrypt-root.pem");
  writeFileSync(rootFile, rootPem);
  const tokenFile = dir.join("metacrypt.token");
  writeFileSync(tokenFile, await mcias.issueSystemToken("mcp-agent", "metacrypt"), {
    mode: 0o600,
  });
  return { child, url, rootPem, rootFile, tokenFile };
}
