// Connection bookkeeping shared by both I/O paths: per-listener metric children (prom-client
// hashes label objects on every call, so children are cached), the firewall/outcome hooks of the
// accept phase, and the closing entry of an L4 connection (bytes by route, access line).
import type { Logger } from "pino";
import type { Verdict } from "../firewall/firewall.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { DecisionHooks } from "./accept.ts";
import type { ConnMeta } from "./conn-meta.ts";

export type ListenerMetrics = {
  active: { inc(): void; dec(): void };
  l4: { inc(): void };
  l7: { inc(): void };
};

type ByteCounters = { up: { inc(n: number): void }; down: { inc(n: number): void } };

export class ConnBook {
  private readonly listeners = new Map<string, ListenerMetrics>();
  private readonly bytesByRoute = new Map<string, ByteCounters>();
  private readonly hooks = new Map<string, DecisionHooks>();

  constructor(
    private readonly m: Metrics,
    private readonly logger: Logger,
    private readonly accessLog: boolean,
    private readonly check: (ip: string) => Verdict,
  ) {}

  listener(name: string): ListenerMetrics {
    let c = this.listeners.get(name);
    if (c === undefined) {
      c = {
        active: this.m.active.labels({ listener: name }),
        l4: this.m.connections.labels({ listener: name, outcome: "l4" }),
        l7: this.m.connections.labels({ listener: name, outcome: "l7" }),
      };
      this.listeners.set(name, c);
    }
    return c;
  }

  /** The accept-phase hooks of one listener (built once: the node path asks per connection). */
  decisionHooks(name: string): DecisionHooks {
    let h = this.hooks.get(name);
    if (h === undefined) {
      h = this.buildHooks(name);
      this.hooks.set(name, h);
    }
    return h;
  }

  private buildHooks(name: string): DecisionHooks {
    const m = this.m;
    return {
      admit: (ip) => {
        const v = this.check(ip);
        if (v === "allow") return true;
        m.firewallDrops.inc({ reason: v });
        m.connections.inc({ listener: name, outcome: "blocked" });
        return false;
      },
      unknownSni: (listener, sni) => {
        m.connections.inc({ listener, outcome: "unknown_sni" });
        this.logger.debug({ listener, sni }, "no route for SNI");
      },
      outcome: (listener, outcome) => m.connections.inc({ listener, outcome }),
    };
  }

  /** Books a finished L4 connection: bytes by route and, when enabled, the access line. */
  l4Closed(meta: ConnMeta, up: number, down: number, ms: number): void {
    const host = meta.route.hostname;
    let b = this.bytesByRoute.get(host);
    if (b === undefined) {
      if (this.bytesByRoute.size > 10_000) this.bytesByRoute.clear();
      b = {
        up: this.m.bytes.labels({ route: host, direction: "up" }),
        down: this.m.bytes.labels({ route: host, direction: "down" }),
      };
      this.bytesByRoute.set(host, b);
    }
    b.up.inc(up);
    b.down.inc(down);
    if (this.accessLog)
      this.logger.info(
        { kind: "l4", listener: meta.listener, route: host, client: meta.clientAddr, up, down, ms },
        "l4 connection",
      );
  }
}
