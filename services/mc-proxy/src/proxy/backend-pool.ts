// Connection pools to backends, one per distinct route target: raw keep-alive HTTP/1.1
// connections (h1/upstream-pool.ts) and a lazily (re)connected HTTP/2 session for h2 and gRPC.
import { readFileSync } from "node:fs";
import { Agent as HttpAgent } from "node:http";
import { type ClientHttp2Session, connect as h2connect } from "node:http2";
import { Agent as HttpsAgent } from "node:https";
import { type HostPort, parseBackend } from "../state/backend-addr.ts";
import type { RouteSpec } from "../state/types.ts";
import { UpstreamPool } from "./h1/upstream-pool.ts";

export interface BackendPool {
  key: string;
  target: HostPort;
  tls: boolean;
  ca: Buffer | undefined;
  /** Raw keep-alive connections for the lean HTTP/1.1 path. */
  conns: UpstreamPool;
  /** Keep-alive agent for the node:http HTTP/1.1 front ([server] h1_front = "node"). */
  agent(): HttpAgent;
  h2(): ClientHttp2Session;
  close(): void;
}

export function poolKey(r: RouteSpec): string {
  return `${r.backend}|${r.backendTls ? 1 : 0}|${r.backendCa ?? ""}|${r.hostname}`;
}

export function createPool(r: RouteSpec): BackendPool {
  const target = parseBackend(r.backend);
  const ca = r.backendCa ? readFileSync(r.backendCa) : undefined;
  // Backends behind a wildcard route are verified against the backend host itself.
  const servername = r.hostname.startsWith("*.") ? undefined : r.hostname;
  const conns = new UpstreamPool(target, r.backendTls ? { ca, servername } : null);
  let session: ClientHttp2Session | null = null;
  let agent: HttpAgent | null = null;
  const authority = `${r.backendTls ? "https" : "http"}://${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
  return {
    key: poolKey(r),
    target,
    tls: r.backendTls,
    ca,
    conns,
    agent() {
      agent ??= r.backendTls
        ? new HttpsAgent({ keepAlive: true, scheduling: "lifo", ca, servername })
        : new HttpAgent({ keepAlive: true, scheduling: "lifo" });
      return agent;
    },
    h2() {
      if (session !== null && !session.closed && !session.destroyed) return session;
      const s = h2connect(authority, r.backendTls ? { ca, servername } : {});
      s.on("error", () => {});
      s.on("goaway", () => {
        if (session === s) session = null;
      });
      s.on("close", () => {
        if (session === s) session = null;
      });
      s.unref();
      session = s;
      return s;
    },
    close() {
      conns.close();
      agent?.destroy();
      session?.close();
    },
  };
}
