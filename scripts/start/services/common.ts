// Small pieces every service descriptor uses: TOML quoting, loopback addresses, the header of a
// generated config, writing it 0600, and the usual launch and health probe.
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LaunchSpec, PlatformContext, ProxyRoute, SsoClient } from "../descriptor.ts";
import { probe } from "../health.ts";

export const q = (s: string): string => JSON.stringify(s);
export const loopback = (port: number): string => `127.0.0.1:${port}`;
export const local = (port: number): string => q(loopback(port));
export const GENERATED = "# Written by npm start on every start; changes here are overwritten.\n";

export function writeConfigFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
}

/** `<entry> server --config <config>`: how every service of the platform is run. */
export function serverArgs(config: string): string[] {
  return ["server", "--config", config];
}

/** GET http://127.0.0.1:<port><path> answers 2xx. */
export function httpHealthy(port: number, path = "/v1/health"): Promise<boolean> {
  return probe(`http://${loopback(port)}${path}`);
}

/** The usual launch: `services/<name>/src/cmd/<name>.ts server --config <data>/<name>/<name>.toml`. */
export function serverLaunch(name: string): (c: PlatformContext) => LaunchSpec {
  return (c) => ({
    entry: `services/${name}/src/cmd/${name}.ts`,
    args: serverArgs(c.layout.service(name).config),
  });
}

/** Writes <data>/<name>/<name>.toml from `toml` (0600), on every start. */
export function writeToml(
  name: string,
  toml: (c: PlatformContext) => string,
): (c: PlatformContext) => void {
  return (c) => writeConfigFile(c.layout.service(name).config, toml(c));
}

/** One L7 route: https://<hostname>:<web port> to the plain-HTTP port `portKey`. */
export function l7Route(hostname: string, portKey: string): (c: PlatformContext) => ProxyRoute[] {
  return (c) => [{ hostname, mode: "l7", backendPort: c.port(portKey) }];
}

/** The [mcias] section of a service that checks its tokens with the platform's MCIAS. */
export function mciasSection(c: PlatformContext, serviceName: string): string {
  return `[mcias]
server_url = ${q(`http://${loopback(c.port("mciasHttp"))}`)}
service_name = ${q(serviceName)}
`;
}

/** MCIAS's name for browsers: its web UI, OIDC issuer and SSO sign-in page (L7 route). */
export const MCIAS_HOST = "mcias.localhost";

/** The SSO client of the web UI at https://<hostname>:<web port>, signing in for `serviceName`. */
export function webSso(hostname: string, serviceName: string): (c: PlatformContext) => SsoClient {
  return (c) => ({
    clientId: `${serviceName}-web`,
    redirectUri: `${c.origin(hostname)}/sso/callback`,
    serviceName,
  });
}

/**
 * The [sso] section of a web UI: its client, and MCIAS as the browser reaches it (the service
 * itself keeps [mcias] server_url, a loopback address the browser must not be sent to).
 */
export function ssoSection(c: PlatformContext, client: SsoClient): string {
  return `[sso]
client_id = ${q(client.clientId)}
redirect_uri = ${q(client.redirectUri)}
mcias_public_url = ${q(c.origin(MCIAS_HOST))}
`;
}

/** A service's session key file in its folder (32 random bytes, made once, mode 0600). */
export function sessionKeyFile(c: PlatformContext, name: string): string {
  const file = join(c.layout.service(name).dir, "session.key");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600 });
  return file;
}
