// Keep-alive pool of raw HTTP/1.1 connections to one backend (plain TCP or verified TLS), used
// by the lean forwarding path. Each connection has one current user that receives its events;
// an idle connection that gets data or closes is simply dropped. Reuse is LIFO (warm sockets).
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { HostPort } from "../../state/backend-addr.ts";

export interface UpstreamUser {
  /**
   * Bytes from the backend. For plain-TCP backends `d` is a view of a read buffer shared by all
   * of them (the next read of any connection overwrites it): valid only during the call. Copy
   * what must outlive it, including data handed to a write that the stream queues.
   */
  onUpData(d: Buffer): void;
  onUpClose(): void;
  onUpDrain(): void;
  onUpTimeout(): void;
}

export interface UpstreamTls {
  ca: Buffer | undefined;
  servername: string | undefined;
}

const READ_BUFFER = 64 * 1024;
/**
 * One read buffer for every plain backend connection of the process: reads run one at a time on
 * this thread and each is consumed before the next (see UpstreamUser.onUpData), so a buffer per
 * connection (up to 64 KiB × every idle pooled socket) would only cost memory.
 */
let sharedReadBuffer: Buffer | null = null;

function readBuffer(): Buffer {
  sharedReadBuffer ??= Buffer.allocUnsafeSlow(READ_BUFFER);
  return sharedReadBuffer;
}

export class UpstreamConn {
  user: UpstreamUser | null = null;
  /** Served at least one exchange before (a failure before any response may be a stale socket). */
  reused = false;
  /** Bytes received for the current exchange. */
  received = 0;
  /** The socket's current inactivity timeout (-1: never set). */
  timeoutMs = -1;

  readonly sock: Socket;

  /** `open` dials the backend; plain sockets read through `onRead`, TLS ones emit 'data'. */
  constructor(
    pool: UpstreamPool,
    open: (onRead: (n: number, b: Uint8Array) => boolean) => { sock: Socket; userBuffer: boolean },
  ) {
    const { sock, userBuffer } = open(this.onRead);
    this.sock = sock;
    if (!userBuffer) sock.on("data", (d: Buffer) => this.deliver(d));
    sock.on("drain", () => this.user?.onUpDrain());
    sock.on("timeout", () => {
      if (this.user !== null) this.user.onUpTimeout();
      else sock.destroy();
    });
    sock.on("error", () => {});
    sock.on("close", () => {
      pool.forget(this);
      const u = this.user;
      this.user = null;
      u?.onUpClose();
    });
  }

  private readonly onRead = (n: number, b: Uint8Array): boolean => {
    this.deliver((b as Buffer).subarray(0, n));
    return true;
  };

  private deliver(d: Buffer): void {
    this.received += d.length;
    if (this.user !== null) this.user.onUpData(d);
    else this.sock.destroy();
  }

  /** socket.setTimeout allocates a timer on every call: only touch it when the value changes. */
  timeout(ms: number): void {
    if (ms === this.timeoutMs) return;
    this.timeoutMs = ms;
    this.sock.setTimeout(ms);
  }
}

export class UpstreamPool {
  private readonly idle: UpstreamConn[] = [];
  private closed = false;

  constructor(
    readonly target: HostPort,
    private readonly tls: UpstreamTls | null,
    private readonly maxIdle = 512,
    private readonly idleMs = 30_000,
  ) {}

  acquire(user: UpstreamUser, timeoutMs: number): UpstreamConn {
    let c = this.idle.pop();
    while (c?.sock.destroyed) c = this.idle.pop();
    if (c === undefined) {
      const { host, port } = this.target;
      const tls = this.tls;
      c = new UpstreamConn(this, (onRead) => {
        if (tls !== null) {
          const s = tlsConnect({
            host,
            port,
            ca: tls.ca,
            servername: tls.servername,
            ALPNProtocols: ["http/1.1"],
          });
          s.setNoDelay(true);
          return { sock: s, userBuffer: false };
        }
        // Plain TCP: read into the shared buffer, no Buffer allocated per read.
        const s = netConnect({
          host,
          port,
          noDelay: true,
          onread: {
            buffer: readBuffer(),
            callback: onRead,
          },
        });
        return { sock: s, userBuffer: true };
      });
    } else c.reused = true;
    c.user = user;
    c.received = 0;
    c.timeout(timeoutMs);
    return c;
  }

  /** Give a connection whose exchange completed cleanly back to the pool. */
  release(c: UpstreamConn): void {
    c.user = null;
    if (this.closed || c.sock.destroyed || this.idle.length >= this.maxIdle) {
      c.sock.destroy();
      return;
    }
    if (c.sock.isPaused()) c.sock.resume();
    // Idle connections keep the route's timeout when it has one (no timer churn per request).
    if (c.timeoutMs <= 0) c.timeout(this.idleMs);
    this.idle.push(c);
  }

  forget(c: UpstreamConn): void {
    const i = this.idle.lastIndexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
  }

  /** True once close() ran: users holding this pool look the route's current one up again. */
  get isClosed(): boolean {
    return this.closed;
  }

  get idleCount(): number {
    return this.idle.length;
  }

  close(): void {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.sock.destroy();
  }
}
