// Connection-level control for the lean HTTP/2 server: SETTINGS, WINDOW_UPDATE, RST_STREAM,
// the per-second abuse budgets (rapid reset, control-frame floods, refused streams), stream and
// connection errors, graceful drain and shutdown.
import type { Duplex } from "node:stream";
import { coarseClock } from "../conn-set.ts";
import { ConnOutput } from "./conn-output.ts";
import {
  BUDGET,
  ERR,
  FLAG,
  LOCAL,
  MAX_FRAME_SIZE_LIMIT,
  MAX_WINDOW,
  SETTING,
} from "./constants.ts";
import { SETTINGS_ACK } from "./frame-out.ts";

/** A client must send the preface and its SETTINGS within this time after the TLS handshake. */
const PREFACE_TIMEOUT_MS = 10_000;

/** A connection-level protocol error: GOAWAY with `code`, then close. */
export class ConnError extends Error {
  constructor(
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

export abstract class ConnControl extends ConnOutput {
  protected settingsSeen = false;
  protected connRecvWindow: number = LOCAL.connWindow;
  protected remoteGoaway = false;
  private budgetStart = 0;
  private resets = 0;
  private cheap = 0;
  private refused = 0;
  /** The reason and code of the connection error, if any (tests, logs). */
  lastError = "";
  lastCode = -1;
  private readonly prefaceTimer: NodeJS.Timeout;
  /** Coarse time (conn-set.ts) since when no stream is open. */
  private idleSince = coarseClock.now;

  constructor(
    sock: Duplex,
    private readonly onClosed: (() => void) | undefined,
    prefaceTimeoutMs = PREFACE_TIMEOUT_MS,
    private readonly clock: () => number = () => performance.now(),
  ) {
    super(sock);
    this.prefaceTimer = setTimeout(() => {
      if (!this.settingsSeen) this.fail(ERR.SETTINGS_TIMEOUT, "no preface and SETTINGS in time");
    }, prefaceTimeoutMs);
    this.prefaceTimer.unref();
  }

  protected onRst(id: number, p: Buffer): void {
    if (p.length !== 4) throw new ConnError(ERR.FRAME_SIZE_ERROR, "RST_STREAM length");
    if (id === 0) throw new ConnError(ERR.PROTOCOL_ERROR, "RST_STREAM on stream 0");
    if (id > this.lastStreamId)
      throw new ConnError(ERR.PROTOCOL_ERROR, "RST_STREAM on an idle stream");
    this.spend("resets");
    const s = this.streams.get(id);
    if (s !== undefined) this.closeStream(s, p.readUInt32BE(0), true);
  }

  protected onSettings(flags: number, id: number, p: Buffer): void {
    if (id !== 0) throw new ConnError(ERR.PROTOCOL_ERROR, "SETTINGS on a stream");
    if (flags & FLAG.ACK) {
      if (p.length !== 0) throw new ConnError(ERR.FRAME_SIZE_ERROR, "SETTINGS ACK with payload");
      return;
    }
    if (p.length % 6 !== 0) throw new ConnError(ERR.FRAME_SIZE_ERROR, "SETTINGS length");
    if (this.settingsSeen) this.spend("cheap");
    if (!this.settingsSeen) clearTimeout(this.prefaceTimer);
    this.settingsSeen = true;
    for (let o = 0; o < p.length; o += 6) {
      const key = p.readUInt16BE(o);
      const v = p.readUInt32BE(o + 2);
      if (key === SETTING.HEADER_TABLE_SIZE) this.encoder.sizeUpdatePending = true;
      else if (key === SETTING.ENABLE_PUSH && v > 1)
        throw new ConnError(ERR.PROTOCOL_ERROR, "ENABLE_PUSH");
      else if (key === SETTING.INITIAL_WINDOW_SIZE) {
        if (v > MAX_WINDOW) throw new ConnError(ERR.FLOW_CONTROL_ERROR, "INITIAL_WINDOW_SIZE");
        const delta = v - this.peerInitialWindow;
        this.peerInitialWindow = v;
        for (const s of this.streams.values()) {
          s.sendWindow += delta;
          if (s.sendWindow > MAX_WINDOW)
            throw new ConnError(ERR.FLOW_CONTROL_ERROR, "stream window overflow");
        }
        if (delta > 0) this.resumeWaiting();
      } else if (key === SETTING.MAX_FRAME_SIZE) {
        if (v < 16_384 || v > MAX_FRAME_SIZE_LIMIT)
          throw new ConnError(ERR.PROTOCOL_ERROR, "MAX_FRAME_SIZE");
        this.peerMaxFrame = v;
      }
    }
    this.push(SETTINGS_ACK);
  }

  protected onWindowUpdate(id: number, p: Buffer): void {
    if (p.length !== 4) throw new ConnError(ERR.FRAME_SIZE_ERROR, "WINDOW_UPDATE length");
    const inc = p.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) {
      if (inc === 0) throw new ConnError(ERR.PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
      this.connSendWindow += inc;
      if (this.connSendWindow > MAX_WINDOW)
        throw new ConnError(ERR.FLOW_CONTROL_ERROR, "window overflow");
      this.resumeWaiting();
      return;
    }
    const s = this.streams.get(id);
    if (s === undefined) {
      if (id > this.lastStreamId)
        throw new ConnError(ERR.PROTOCOL_ERROR, "WINDOW_UPDATE on an idle stream");
      return;
    }
    if (inc === 0) {
      this.streamError(id, ERR.PROTOCOL_ERROR);
      return;
    }
    s.sendWindow += inc;
    if (s.sendWindow > MAX_WINDOW) {
      this.streamError(id, ERR.FLOW_CONTROL_ERROR);
      return;
    }
    if (s.sendWindow > 0 && s.queued + (s.endPending ? 1 : 0) > 0) this.pump(s);
  }

  protected streamError(id: number, code: number): void {
    const s = this.streams.get(id);
    if (s !== undefined) this.reset(s, code);
    else this.sendRst(id, code);
  }

  /** Counts a frame against its per-second budget; past it the connection is told to calm down. */
  protected spend(kind: "resets" | "cheap" | "refused"): void {
    const now = this.clock();
    if (now - this.budgetStart > BUDGET.windowMs) {
      this.budgetStart = now;
      this.resets = 0;
      this.cheap = 0;
      this.refused = 0;
    }
    const n = ++this[kind];
    if (n > BUDGET[kind]) throw new ConnError(ERR.ENHANCE_YOUR_CALM, `${kind} flood`);
  }

  protected connRecvCredit(n: number): void {
    this.connRecvWindow += n;
  }

  protected afterStreamClosed(): void {
    if (this.streams.size === 0) this.idleSince = coarseClock.now;
    if ((this.goawaySent || this.remoteGoaway) && this.streams.size === 0 && !this.dead)
      this.shutdown();
  }

  /**
   * Idle timeout (the front end's ConnSet calls this every second): a connection without an open
   * stream since before `deadline` gets GOAWAY(NO_ERROR) and is closed, like an idle HTTP/1.1
   * keep-alive connection.
   */
  sweep(deadline: number): void {
    if (!this.dead && this.streams.size === 0 && this.idleSince <= deadline) this.drain();
  }

  /** Graceful drain: GOAWAY with the last stream id; in-flight streams finish, then close. */
  drain(): void {
    if (this.goawaySent || this.dead) return;
    this.goaway(ERR.NO_ERROR);
    if (!this.reading) this.flush();
    this.afterStreamClosed();
  }

  protected fail(code: number, why: string): void {
    if (this.dead) return;
    this.lastError = why;
    this.lastCode = code;
    this.goawaySent = false;
    this.goaway(code);
    this.shutdown();
  }

  private shutdown(): void {
    this.dead = true;
    this.flush();
    this.sock.end();
    setTimeout(() => this.sock.destroy(), 2_000).unref();
    this.abortAll();
  }

  private abortAll(): void {
    for (const s of [...this.streams.values()]) this.closeStream(s, ERR.CANCEL, true);
  }

  protected onSockClose(): void {
    clearTimeout(this.prefaceTimer);
    this.dead = true;
    this.abortAll();
    this.onClosed?.();
  }
}
