// Small pieces every service descriptor uses: TOML quoting, loopback addresses, the header of a
// generated config, writing it 0600, and the usual launch and health probe.
import { writeFileSync } from "node:fs";
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
