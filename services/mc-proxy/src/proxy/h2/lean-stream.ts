// One HTTP/2 request stream on the lean front end, with the subset of node:http2's
// ServerHttp2Stream API the forwarders use: respond / write / end / sendTrailers / close, the
// request body as 'data'/'end' events with pause()/resume() (window credit follows consumption),
// 'drain' when queued response data went out, 'wantTrailers', 'aborted' and 'close'.
import { EventEmitter } from "node:events";
import { ERR, STREAM_HIGH_WATER } from "./constants.ts";
import type { OutHeaders } from "./hpack-encoder.ts";

/** What a stream needs from its connection. */
export interface StreamHost {
  sendHeaders(s: LeanStream, h: OutHeaders, status: number | undefined, endStream: boolean): void;
  /** Frames queued response data as the windows allow; may emit 'wantTrailers' / end the stream. */
  pump(s: LeanStream): void;
  reset(s: LeanStream, code: number): void;
  /** Request body bytes handed to the consumer: window credit. */
  consumed(s: LeanStream, n: number): void;
}

export class LeanStream extends EventEmitter {
  headersSent = false;
  closed = false;
  readableEnded = false;
  rstCode = 0;
  /** Response side */
  sendWindow: number;
  readonly queue: Buffer[] = [];
  queued = 0;
  endPending = false;
  localEnded = false;
  wantTrailers = false;
  needDrain = false;
  /** Request side */
  remoteEnded = false;
  recvWindow: number;
  unacked = 0;
  received = 0;
  private paused = false;
  private readonly inbox: Buffer[] = [];
  private endQueued = false;

  constructor(
    readonly id: number,
    private readonly host: StreamHost,
    sendWindow: number,
    recvWindow: number,
    /** Declared request content-length, -1 when absent. */
    readonly expectedLength: number,
  ) {
    super();
    this.sendWindow = sendWindow;
    this.recvWindow = recvWindow;
  }

  get destroyed(): boolean {
    return this.closed;
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
    while (!this.paused && !this.closed && this.inbox.length > 0) {
      const d = this.inbox.shift() as Buffer;
      this.emit("data", d);
      this.host.consumed(this, d.length);
    }
    if (!this.paused && this.endQueued && this.inbox.length === 0) {
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
    if (d.length > 0) {
      if (this.paused || this.inbox.length > 0) this.inbox.push(d);
      else {
        this.emit("data", d);
        this.host.consumed(this, d.length);
      }
    }
    if (!end) return;
    this.remoteEnded = true;
    if (this.paused || this.inbox.length > 0) this.endQueued = true;
    else this.emitEnd();
  }

  private emitEnd(): void {
    if (this.closed) return;
    this.readableEnded = true;
    this.emit("end");
  }

  /** Request bytes received but not yet consumed (credited back to the connection on close). */
  takeUnconsumed(): number {
    let n = 0;
    for (const d of this.inbox) n += d.length;
    this.inbox.length = 0;
    return n;
  }

  /** Called once by the connection when the stream is gone; `aborted`: not completed normally. */
  finalize(code: number, aborted: boolean): void {
    this.closed = true;
    this.rstCode = code;
    this.queue.length = 0;
    this.queued = 0;
    process.nextTick(() => {
      if (aborted) this.emit("aborted");
      this.emit("close");
    });
  }
}
