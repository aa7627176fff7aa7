// metacryptctl's connection: server and token from flags > METACRYPT_SERVER/METACRYPT_TOKEN > the
// token `mciasctl login --service metacrypt` cached; REST calls through mcdsl's JsonClient;
// failures become AppError with the server's stable code.

import {
  addServiceConnection,
  callService,
  loadProfile,
  profileUrl,
  type ServiceConnection,
} from "@metacircular/mcdsl/cli";
import type { Command } from "commander";

const profile = loadProfile();

const CONNECTION: ServiceConnection = {
  service: "metacrypt",
  label: "Metacrypt API",
  envPrefix: "METACRYPT",
  fromProfile: profileUrl("metacrypt"),
  fallback: "http://127.0.0.1:8443",
};

export function addConnectionOptions(program: Command): void {
  addServiceConnection(program, CONNECTION, profile);
}

export function call(
  cmd: Command,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: each command reads the fields of its own JSON answer
): Promise<any> {
  return callService(cmd, CONNECTION, profile, { method, path, body });
}

/** One engine operation through POST /v1/engine/request. */
export function engine(
  cmd: Command,
  mount: string,
  operation: string,
  data: object = {},
  // biome-ignore lint/suspicious/noExplicitAny: each command reads the fields of its own JSON answer
): Promise<any> {
  return call(cmd, "POST", "/v1/engine/request", { mount, operation, data });
}
