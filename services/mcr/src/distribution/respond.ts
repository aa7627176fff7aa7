// Writing /v2 responses on the Node response: every answer carries the API version header; an
// error is the spec's {"errors":[...]} body with its status and headers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { OciError } from "../oci/errors.ts";

export type Headers = Record<string, string | number>;

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}

export function send(x: Exchange, status: number, headers: Headers = {}, body?: Buffer | string) {
  const h: Headers = { "Docker-Distribution-API-Version": "registry/2.0", ...headers };
  if (body !== undefined && h["Content-Length"] === undefined)
    h["Content-Length"] = Buffer.byteLength(body);
  if (body === undefined && h["Content-Length"] === undefined) h["Content-Length"] = 0;
  x.res.writeHead(status, h);
  x.res.end(x.req.method === "HEAD" ? undefined : body);
}

export function sendJson(x: Exchange, status: number, value: unknown, headers: Headers = {}) {
  send(x, status, { "Content-Type": "application/json", ...headers }, JSON.stringify(value));
}

export function sendError(x: Exchange, err: OciError) {
  sendJson(x, err.status, err.body(), err.headers);
}

/** Anything not an OciError is an internal error: logged by the caller, never detailed here. */
export function toOciError(err: unknown): OciError | undefined {
  return err instanceof OciError ? err : undefined;
}
