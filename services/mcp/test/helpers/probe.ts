// Looking at the result from outside, with real clients: an HTTPS GET through MC-Proxy with SNI
// and the test CA, and `dig` at MCNS.
import { execFile } from "node:child_process";
import { request as httpRequest } from "node:http";
import { request } from "node:https";
import { promisify } from "node:util";

const run = promisify(execFile);

export function httpsGet(
  port: number,
  hostname: string,
  ca: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: "127.0.0.1",
        port,
        servername: hostname,
        headers: { host: hostname },
        ca,
        path: "/",
        timeout: 5_000,
      },
      (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    r.on("timeout", () => r.destroy(new Error("timeout")));
    r.on("error", reject);
    r.end();
  });
}

/** A plain HTTP GET of / on 127.0.0.1:`port` (a container's published port). */
export function httpGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = httpRequest({ host: "127.0.0.1", port, path: "/", timeout: 3_000 }, (res) => {
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

/** The A records dig finds for `name` at 127.0.0.1:`port` (empty for NXDOMAIN/NODATA). */
export async function digA(port: number, name: string): Promise<string[]> {
  const r = await run("dig", [
    "+short",
    "+tries=2",
    "+time=2",
    "-p",
    String(port),
    "@127.0.0.1",
    name,
    "A",
  ]);
  return r.stdout.split("\n").filter((l) => l.trim() !== "");
}
