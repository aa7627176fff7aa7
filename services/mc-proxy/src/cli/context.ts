// Shared plumbing for mcproxyctl: the admin-socket setting (flag > MCPROXY_SOCKET > CLI profile >
// built-in default), the gRPC client on it, and human/JSON output.
import { type DescMessage, type MessageShape, toJson } from "@bufbuild/protobuf";
import { cliIO, type SettingSpec, wantsJson } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { type AdminClient, adminClient } from "./admin-client.ts";

export const SETTINGS: SettingSpec[] = [
  {
    flags: "--socket <path>",
    description: "mc-proxy's admin socket",
    env: "MCPROXY_SOCKET",
    fromProfile: (p) => p.mc_proxy.socket,
    fallback: "/srv/mc-proxy/mc-proxy.sock",
  },
];

export function client(cmd: Command): AdminClient {
  return adminClient(cmd.optsWithGlobals<{ socket: string }>().socket);
}

/** Prints the response as protobuf JSON with --json, otherwise `human()`. */
export function out<D extends DescMessage>(
  cmd: Command,
  schema: D,
  msg: MessageShape<D>,
  human: () => string,
): void {
  const text = wantsJson(cmd) ? JSON.stringify(toJson(schema, msg), null, 2) : human();
  cliIO(cmd).out(`${text}\n`);
}

/** Prints `json` with --json, otherwise `human`. */
export function say(cmd: Command, json: unknown, human: string): void {
  cliIO(cmd).out(`${wantsJson(cmd) ? JSON.stringify(json) : human}\n`);
}
