// Looking at the result from outside, with real clients: an HTTPS GET through MC-Proxy with SNI
// and the test CA, and `dig` at MCNS. Their timeouts are bounds for an answer that is expected
// (generous: a loaded machine can take seconds); callers that wait for a change poll (retry.ts).
import { execFile } from "node:child_process";
import { request as httpRequest, type RequestOptions } from "node:http";
import { request } from "node:https";
import { promisify } from "node:util";

const run = promisify(execFile);

type Page = { status: number; body: string };
type Requester = typeof httpRequest;

function get(req: Requester, opts: RequestOptions): Promise<Page> {
  return new Promise((resolve, reject) => {
    const r = req(opts, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    r.on("timeout", () => r.destroy(new Error("timeout")));
    r.on("error", reject);
    r.end();
  });
}

export function httpsGet(port: number, hostname: string, ca: string): Promise<Page> {
  const opts = { host: "127.0.0.1", port, servername: hostname, headers: { host: hostname }, ca };
  return get(request as Requester, { ...opts, path: "/", timeout: 10_000 });
}

/** A plain HTTP GET of / on 127.0.0.1:`port` (a container's published port). */
export function httpGet(port: number): Promise<Page> {
  return get(httpRequest, { host: "127.0.0.1", port, path: "/", timeout: 10_000 });
}

/** The A records dig finds for `name` at 127.0.0.1:`port` (empty for NXDOMAIN/NODATA). */
export async function digA(port: number, name: string): Promise<string[]> {
  const r = await run("dig", [
    "+short",
    "+tries=2",
    "+time=5",
    "-p",
    String(port),
    "@127.0.0.1",
    name,
    "A",
  ]);
  return r.stdout.split("\n").filter((l) => l.trim() !== "");
}
