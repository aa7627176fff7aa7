// Shared plumbing for mcproxyctl's actions (loaded only when a command runs): the gRPC client on
// the --socket path and human/JSON output.
import { type DescMessage, type MessageShape, toJson } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { cliIO, wantsJson } from "@metacircular/mcdsl/cli";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Command } from "commander";
import { type AdminClient, adminClient } from "./admin-client.ts";

const UNREACHABLE = new Set(["ENOENT", "ECONNREFUSED", "EACCES", "ENOTSOCK", "ECONNRESET"]);

/** A socket that cannot be reached becomes one "cannot reach" line, not an internal error. */
export function reachError(socket: string, e: unknown): unknown {
  const sys =
    e instanceof ConnectError ? (e.cause as { code?: unknown } | undefined)?.code : undefined;
  if (typeof sys !== "string" || !UNREACHABLE.has(sys)) return e;
  const hint = sys === "EACCES" ? " (not in the socket's group?)" : "";
  return new AppError(503, "unavailable", `cannot reach mc-proxy at ${socket}: ${sys}${hint}`);
}

/** The admin client on the --socket path; every call reports an unreachable socket plainly. */
export function client(cmd: Command): AdminClient {
  const socket = cmd.optsWithGlobals<{ socket: string }>().socket;
  const inner = adminClient(socket);
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const method = Reflect.get(target, prop, receiver) as unknown;
      if (typeof method !== "function") return method;
      return async (...args: unknown[]) => {
        try {
          return await (method as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (e) {
          throw reachError(socket, e);
        }
      };
    },
  });
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
