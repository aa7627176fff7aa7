// Writes a CLI profile the way `npm start` does (scripts/start/profile.ts, README "CLI profile")
// into <xdg>/metacircular/profile.json, for tests that run a CLI with only the profile.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CliProfile } from "@metacircular/mcdsl/cli";

export function writeCliProfile(
  xdg: string,
  over: { mciasUrl?: string; mcnsUrl?: string; socket?: string; dataDir?: string },
): void {
  const data = over.dataDir ?? "/nonexistent/platform";
  const profile: CliProfile = {
    version: 1,
    profile: "local",
    written_by: "npm start",
    data_dir: data,
    ca_cert: `${data}/ca/ca.crt`,
    admin: { username: "admin", password_file: `${data}/admin-password` },
    mcias: {
      url: over.mciasUrl ?? "http://127.0.0.1:9",
      web_url: "https://mcias.localhost:18443",
      grpc_addr: "127.0.0.1:18445",
    },
    mcns: {
      url: over.mcnsUrl ?? "http://127.0.0.1:18446",
      web_url: "https://mcns.localhost:18443",
      grpc_addr: "127.0.0.1:18447",
      dns_addr: "127.0.0.1:18448",
    },
    mc_proxy: {
      socket: over.socket ?? `${data}/mc-proxy/mc-proxy.sock`,
      listener: "web",
      listen_addr: "127.0.0.1:18443",
      metrics_url: "http://127.0.0.1:18449/metrics",
    },
  };
  const dir = join(xdg, "metacircular");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, "profile.json"), `${JSON.stringify(profile, null, 2)}\n`, {
    mode: 0o600,
  });
}
