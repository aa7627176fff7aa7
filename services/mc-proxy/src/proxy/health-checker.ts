// Optional active health checks for L7 routes with a health path: GET every interval; two
// consecutive failures mark the backend down (requests get 503), one success brings it back.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Logger } from "pino";
import type { RouteSpec } from "../state/types.ts";
import type { BackendPool } from "./backend-pool.ts";

export class HealthChecker {
  private timer: NodeJS.Timeout | null = null;
  private routes: RouteSpec[] = [];
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly pool: (r: RouteSpec) => BackendPool,
    private readonly logger: Logger,
    private readonly intervalMs = 5_000,
  ) {}

  setRoutes(routes: RouteSpec[]): void {
    this.routes = routes.filter((r) => r.mode === "l7" && r.healthPath !== null);
    if (this.routes.length > 0 && this.timer === null) {
      this.timer = setInterval(() => this.probeAll(), this.intervalMs);
      this.timer.unref();
      this.probeAll();
    } else if (this.routes.length === 0 && this.timer !== null) this.stop();
  }

  healthy(r: RouteSpec): boolean {
    return r.healthPath === null || (this.failures.get(key(r)) ?? 0) < 2;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private probeAll(): void {
    for (const r of this.routes) this.probe(r);
  }

  private probe(r: RouteSpec): void {
    const p = this.pool(r);
    const k = key(r);
    const settle = (ok: boolean) => {
      const before = this.failures.get(k) ?? 0;
      const after = ok ? 0 : before + 1;
      this.failures.set(k, after);
      if (before < 2 !== after < 2)
        this.logger.warn({ route: r.hostname, healthy: after < 2 }, "backend health changed");
    };
    const req = (p.tls ? httpsRequest : httpRequest)(
      {
        host: p.target.host,
        port: p.target.port,
        path: r.healthPath ?? "/",
        method: "GET",
        ca: p.ca,
        servername: r.hostname,
        timeout: 2_000,
        headers: { host: r.hostname },
      },
      (res) => {
        res.resume();
        settle((res.statusCode ?? 500) < 400);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => settle(false));
    req.end();
  }
}

function key(r: RouteSpec): string {
  return `${r.listener}|${r.hostname}`;
}
