// One HTTP/2 request stream on the lean front end, with the subset of node:http2's
// ServerHttp2Stream API the forwarders use: respond / write / end / sendTrailers / close, the
// request body as 'data'/'end' events with pause()/resume() (window credit follows consumption),
// 'drain' when queued response data went out, 'wantTrailers', 'aborted' and 'close'.
// The per-request forwarder attaches itself as the stream's `consumer` and gets those events as
// direct calls instead (no listener registration or closures per stream, 'close' synchronous);
// on()/once() listeners are kept for the other users (gRPC forwarding, tests).
import { ERR, STREAM_HIGH_WATER } from "./constants.ts";
import type { OutHeaders } from "./hpack-encoder.ts";
import { type Listener, Listeners } from "./stream-listeners.ts";

/** What a stream needs from its connection. */
export interface StreamHost {
  sendHeaders(s: LeanStream, h: OutHeaders, status: number | undefined, endStream: boolean): void;
  /** The response head as a field list (see LeanStream.respondFields). */
  sendFieldList(
    s: LeanStream,
    status: number,
    names: string[],
    values: string[],
    n: number,
    endStream: boolean,
  ): void;
  /** Frames queued response data as the windows allow; may emit 'wantTrailers' / end the stream. */
  pump(s: LeanStream): void;
  reset(s: LeanStream, code: number): void;
  /** Request body bytes handed to the consumer: window credit. */
  consumed(s: LeanStream, n: number): void;
}

/** The direct receiver of a stream's events (one per stream, set before any event). */
export interface StreamConsumer {
  onStreamData(d: Buffer): void;
  onStreamEnd(): void;
  /** Queued response data went out (deferred to the next tick, as 'drain'). */
  onStreamDrain(): void;
  onStreamWantTrailers(): void;
  /**
   * The stream is gone (synchronously, from inside whatever call closed it); `aborted`: reset
   * or not completed normally.
   */
  onStreamClose(aborted: boolean): void;
}

export class LeanStream {
  headersSent = false;
  closed = false;
  readableEnded = false;
  rstCode = 0;
  consumer: StreamConsumer | null = null;
  /** Response side */
  sendWindow: number;
  readonly queue: Buffer[] = [];
  queued = 0;
  endPending = false;
  localEnded = false;
  wantTrailers = false;
  needDrain = false;
  /** DATA from this buffer is copied into the output (it is borrowed, see writeBorrowed). */
  borrowed: Buffer | null = null;
  /** Request side */
  remoteEnded = false;
  recvWindow: number;
  unacked = 0;
  received = 0;
  private paused = false;
  private inbox: Buffer[] | null = null;
  private endQueued = false;
  private listeners: Listeners | null = null;

  constructor(
    readonly id: number,
    private readonly host: StreamHost,
    sendWindow: number,
    recvWindow: number,
    /** Declared request content-length, -1 when absent. */
    readonly expectedLength: number,
  ) {
    this.sendWindow = sendWindow;
    this.recvWindow = recvWindow;
  }

  get destroyed(): boolean {
    return this.closed;
  }

  /** Events: data (Buffer), end, drain, wantTrailers, aborted, close; never error. */
  on(event: string | symbol, fn: Listener): this {
    this.listeners ??= new Listeners(this);
    this.listeners.add(event, fn, false);
    return this;
  }

  once(event: string | symbol, fn: Listener): this {
    this.listeners ??= new Listeners(this);
    this.listeners.add(event, fn, true);
    return this;
  }

  removeListener(event: string | symbol, fn: Listener): this {
    this.listeners?.remove(event, fn);
    return this;
  }

  off(event: string | symbol, fn: Listener): this {
    return this.removeListener(event, fn);
  }

  emit(event: string | symbol, arg?: unknown): boolean {
    return this.listeners?.emit(event, arg) ?? false;
  }

  respond(headers: OutHeaders, opts?: { endStream?: boolean; waitForTrailers?: boolean }): void {
    if (this.closed) return;
    if (this.headersSent) throw new Error("response headers already sent");
    this.headersSent = true;
    const status = Number(headers[":status"] ?? 200);
    if (opts?.waitForTrailers === true) this.wantTrailers = true;
    const end = opts?.endStream === true;
    if (end) this.localEnded = true;
    this.host.sendHeaders(this, headers, status, end);
  }

  /**
   * respond() for a head given as a field list: `n` fields of lower-case, non-connection-specific
   * names, none repeated, in the order to send; encoded before the call returns.
   */
  respondFields(
    status: number,
    names: string[],
    values: string[],
    n: number,
    endStream: boolean,
    waitForTrailers: boolean,
  ): void {
    if (this.closed) return;
    if (this.headersSent) throw new Error("response headers already sent");
    this.headersSent = true;
    if (waitForTrailers) this.wantTrailers = true;
    if (endStream) this.localEnded = true;
    this.host.sendFieldList(this, status, names, values, n, endStream);
  }

  write(d: Buffer | string): boolean {
    if (this.closed || this.localEnded || this.endPending) return false;
    const b = typeof d === "string" ? Buffer.from(d) : d;
    if (b.length > 0) {
      this.queue.push(b);
      this.queued += b.length;
      this.host.pump(this);
    }
    if (this.queued < STREAM_HIGH_WATER) return true;
    this.needDrain = true;
    return false;
  }

  /**
   * write() for bytes the caller will reuse after the call: what goes out now is copied into the
   * connection's output, only what the windows hold back is copied into the queue.
   */
  writeBorrowed(d: Buffer): boolean {
    if (this.closed || this.localEnded || this.endPending) return false;
    if (d.length > 0) {
      this.queue.push(d);
      this.queued += d.length;
      this.borrowed = d;
      this.host.pump(this);
      this.unborrow(d);
    }
    if (this.queued < STREAM_HIGH_WATER) return true;
    this.needDrain = true;
    return false;
  }

  /** end(d) for a borrowed `d` (see writeBorrowed). */
  endBorrowed(d: Buffer): void {
    if (this.closed || this.localEnded || this.endPending) return;
    if (!this.headersSent) this.respond({ ":status": 200 });
    if (d.length > 0) {
      this.queue.push(d);
      this.queued += d.length;
      this.borrowed = d;
    }
    this.endPending = true;
    this.host.pump(this);
    this.unborrow(d);
  }

  /** After a pump: whatever is still queued of the borrowed buffer is copied. */
  private unborrow(d: Buffer): void {
    this.borrowed = null;
    const q = this.queue;
    for (let i = q.length - 1; i >= 0; i--) {
      const b = q[i] as Buffer;
      if (b.buffer === d.buffer) q[i] = Buffer.from(b);
    }
  }

  end(d?: Buffer | string): this {
    if (this.closed || this.localEnded || this.endPending) return this;
    if (!this.headersSent) this.respond({ ":status": 200 });
    if (d !== undefined && d.length > 0) {
      // Queued before the end mark so the last DATA frame carries END_STREAM.
      const buf = typeof d === "string" ? Buffer.from(d) : d;
      this.queue.push(buf);
      this.queued += buf.length;
    }
    this.endPending = true;
    this.host.pump(this);
    return this;
  }

  sendTrailers(h: OutHeaders): void {
    if (this.closed || this.localEnded) return;
    this.localEnded = true;
    this.host.sendHeaders(this, h, undefined, true);
  }

  close(code: number = ERR.NO_ERROR): void {
    if (!this.closed) this.host.reset(this, code);
  }

  pause(): this {
    this.paused = true;
    return this;
  }

  resume(): this {
    if (!this.paused) return this;
    this.paused = false;
    const inbox = this.inbox;
    while (!this.paused && !this.closed && inbox !== null && inbox.length > 0) {
      const d = inbox.shift() as Buffer;
      this.dataOut(d);
      this.host.consumed(this, d.length);
    }
    if (!this.paused && this.endQueued && (inbox === null || inbox.length === 0)) {
      this.endQueued = false;
      this.emitEnd();
    }
    return this;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** From the connection: request body bytes (already flow-control checked). */
  deliver(d: Buffer, end: boolean): void {
    const backlog = this.paused || (this.inbox !== null && this.inbox.length > 0);
    if (d.length > 0) {
      if (backlog) {
        this.inbox ??= [];
        this.inbox.push(d);
      } else {
        this.dataOut(d);
        this.host.consumed(this, d.length);
      }
    }
    if (!end) return;
    this.remoteEnded = true;
    if (backlog) this.endQueued = true;
    else this.emitEnd();
  }

  private dataOut(d: Buffer): void {
    const c = this.consumer;
    if (c !== null) c.onStreamData(d);
    if (this.listeners !== null) this.emit("data", d);
  }

  private emitEnd(): void {
    if (this.closed) return;
    this.readableEnded = true;
    const c = this.consumer;
    if (c !== null) c.onStreamEnd();
    if (this.listeners !== null) this.emit("end");
  }

  /** From the connection: queued data went below the high-water mark. */
  drained(): void {
    const c = this.consumer;
    if (c !== null) c.onStreamDrain();
    if (this.listeners !== null) this.emit("drain");
  }

  /** From the connection: the queued data is out and trailers were asked for. */
  trailersWanted(): void {
    const c = this.consumer;
    if (c !== null) c.onStreamWantTrailers();
    if (this.listeners !== null) this.emit("wantTrailers");
  }

  /** Request bytes received but not yet consumed (credited back to the connection on close). */
  takeUnconsumed(): number {
    const inbox = this.inbox;
    if (inbox === null) return 0;
    let n = 0;
    for (const d of inbox) n += d.length;
    inbox.length = 0;
    return n;
  }

  /** Called once by the connection when the stream is gone; `aborted`: not completed normally. */
  finalize(code: number, aborted: boolean): void {
    this.closed = true;
    this.rstCode = code;
    this.queue.length = 0;
    this.queued = 0;
    const c = this.consumer;
    if (c !== null) c.onStreamClose(aborted);
    if (this.listeners !== null) {
      process.nextTick(() => {
        if (aborted) this.emit("aborted");
        this.emit("close");
      });
    }
  }
}
