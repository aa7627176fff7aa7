// Starts a real MCR in-process over TLS (a throwaway CA for 127.0.0.1 and localhost), against a
// real MCIAS, with a temp database and blob store. writeMcrConfig serves tests that run the
// server as a child process.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "@metacircular/mcdsl/log";
import { createTestCA, type MciasInstance, makeTempDir, type TempDir } from "@metacircular/testkit";
import { type McrHandle, startMcr } from "../../src/app.ts";
import { configSchema, type McrConfig } from "../../src/config.ts";

export interface TestMcr extends McrHandle {
  dir: TempDir;
  caCertPath: string;
  /** A folder holding ca.crt, for podman/skopeo --cert-dir. */
  certDir: string;
  /** host:port, as image references name the registry. */
  host: string;
  config: McrConfig;
  stop(): Promise<void>;
}

export interface TestMcrOptions {
  gc?: { grace_seconds?: number; upload_ttl_seconds?: number };
  listen?: string;
  /** gRPC admin API on this address (TLS with the same leaf). */
  grpc?: string;
  /** Web UI on this loopback address, signing in through the MCIAS SSO client given. */
  web?: { listen: string; clientId: string; redirectUri: string };
  /** [storage] blob_reads (default: the config's default). */
  blobReads?: "pooled" | "stream";
}

/** The raw config for a registry in `dir`, TLS with a leaf from `ca`. */
export function mcrConfig(
  dir: TempDir,
  mcias: MciasInstance,
  leaf: { certPath: string; keyPath: string },
  o: TestMcrOptions = {},
): Record<string, unknown> {
  const web = o.web
    ? {
        web: { listen_addr: o.web.listen, secure_cookies: false },
        sso: { client_id: o.web.clientId, redirect_uri: o.web.redirectUri },
      }
    : {};
  return {
    server: {
      listen_addr: o.listen ?? "127.0.0.1:0",
      ...(o.grpc ? { grpc_addr: o.grpc } : {}),
      tls_cert: leaf.certPath,
      tls_key: leaf.keyPath,
      shutdown_timeout_ms: 2000,
    },
    database: { path: dir.join("mcr.sqlite") },
    storage: { path: dir.join("store"), ...(o.blobReads ? { blob_reads: o.blobReads } : {}) },
    log: { level: "silent" },
    mcias: { server_url: mcias.url, service_name: "mcr" },
    gc: { grace_seconds: 3600, upload_ttl_seconds: 86_400, ...o.gc },
    ...web,
  };
}

export async function startTestMcr(mcias: MciasInstance, o: TestMcrOptions = {}): Promise<TestMcr> {
  const dir = makeTempDir("mcr-test-");
  const ca = createTestCA("MCR Test CA");
  const leaf = ca.issue(["127.0.0.1", "localhost"]);
  const certDir = dir.join("certs");
  const { mkdirSync, copyFileSync } = await import("node:fs");
  mkdirSync(certDir);
  copyFileSync(ca.certPath, join(certDir, "ca.crt"));
  const config = configSchema.parse(mcrConfig(dir, mcias, leaf, o));
  const h = await startMcr(config, { logger: silentLogger() });
  return {
    ...h,
    dir,
    caCertPath: ca.certPath,
    certDir,
    host: `127.0.0.1:${h.port}`,
    config,
    async stop() {
      await h.close();
      dir.remove();
      ca.remove();
    },
  };
}

/** Writes an mcr.toml (for a child-process server) and returns its path. */
export function writeMcrToml(path: string, raw: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [section, values] of Object.entries(raw)) {
    lines.push(`[${section}]`);
    for (const [k, v] of Object.entries(values as Record<string, unknown>))
      lines.push(`${k} = ${JSON.stringify(v)}`);
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}
