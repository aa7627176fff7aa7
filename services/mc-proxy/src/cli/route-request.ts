// Turns `mcproxyctl routes add` flags into the AddRoute request. File paths are resolved from the
// caller's working directory (the server runs elsewhere), and a malformed number is reported by
// flag name.
import { isAbsolute, resolve } from "node:path";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { AppError } from "@metacircular/mcdsl/errors";
import { RouteMode, type RouteSchema } from "@metacircular/proto/mcproxy/v1/admin_pb";

export interface RouteFlags {
  mode: string;
  cert?: string;
  key?: string;
  minTls: string;
  backendTls: boolean;
  backendCa?: string;
  backendH2: boolean;
  sendProxy: string;
  timeoutMs: string;
  healthPath?: string;
}

function usage(message: string): AppError {
  return new AppError(400, "invalid_argument", message);
}

/** An absolute path for a file flag, resolved from `cwd`; "" when the flag is absent. */
export function callerPath(file: string | undefined, cwd: string): string {
  if (!file) return "";
  return isAbsolute(file) ? file : resolve(cwd, file);
}

function wholeNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw usage(`${flag} must be a whole number, not "${v}"`);
  return n;
}

export function routeRequest(
  target: { listener: string; hostname: string; backend: string },
  o: RouteFlags,
  cwd: string = process.cwd(),
): MessageInitShape<typeof RouteSchema> {
  // Which fields a mode takes is the route rule's to say (config.ts routeSchema), for every
  // client alike; here flags only become the request.
  const l7 = o.mode === "l7";
  return {
    listener: target.listener,
    hostname: target.hostname,
    backend: target.backend,
    mode: l7 ? RouteMode.L7 : RouteMode.L4,
    tlsCert: callerPath(o.cert, cwd),
    tlsKey: callerPath(o.key, cwd),
    minTls: o.minTls,
    backendTls: o.backendTls,
    backendCa: callerPath(o.backendCa, cwd),
    backendH2: o.backendH2,
    sendProxy: Number(o.sendProxy),
    timeoutMs: wholeNumber("--timeout-ms", o.timeoutMs),
    healthPath: o.healthPath ?? "",
  };
}
