// The sending half of a lean HTTP/2 connection: frames are gathered in an output list and written
// to the socket once per read (or once per event-loop turn for frames produced by backends), DATA
// honours the peer's connection and stream windows and the socket's own backpressure, and streams
// that wait for window or drain are resumed in order.
import type { Duplex } from "node:stream";
import {
  DEFAULT_FRAME_SIZE,
  DEFAULT_WINDOW,
  ERR,
  FLAG,
  FRAME,
  LOCAL,
  STREAM_HIGH_WATER,
} from "./constants.ts";
import { FRAME_HEAD, goawayFrame, headerFrames, u32Frame, writeHead } from "./frame-out.ts";
import { HpackEncoder, type OutHeaders } from "./hpack-encoder.ts";
import type { LeanStream, StreamHost } from "./lean-stream.ts";
import { OutBuffer } from "./out-buffer.ts";

/** Bytes the socket may hold unsent before the peer is considered not to be reading at all. */
const MAX_UNREAD = 16 << 20;
const EMPTY = Buffer.alloc(0);
/** Reset stream ids remembered per connection (the concurrency limit plus the reset budget). */
const MAX_RESET_IDS = 512;

export abstract class ConnOutput implements StreamHost {
  readonly streams = new Map<number, LeanStream>();
  protected readonly encoder = new HpackEncoder();
  /** Peer settings that shape what we send. */
  protected peerMaxFrame = DEFAULT_FRAME_SIZE;
  protected peerInitialWindow = DEFAULT_WINDOW;
  protected connSendWindow = DEFAULT_WINDOW;
  /** Request body bytes consumed but not yet credited to the connection window. */
  private connUnacked = 0;
  private readonly out = new OutBuffer();
  private flushQueued = false;
  /** Inside a socket read: the read handler flushes when it returns. */
  protected reading = false;
  /** The socket reported backpressure: DATA waits for 'drain'. */
  private blocked = false;
  private readonly waiting = new Set<LeanStream>();
  protected lastStreamId = 0;
  /**
   * Ids of streams we reset (or refused) while the client could still be sending on them: its
   * trailers may cross our RST_STREAM and are ignored (RFC 9113 §5.1, "closed"). Any other
   * HEADERS on an id at or below lastStreamId is a connection error. Bounded, oldest first out.
   */
  private resetIds: Set<number> | null = null;
  protected goawaySent = false;
  dead = false;

  constructor(protected readonly sock: Duplex) {
    sock.on("drain", () => {
      this.blocked = false;
      this.resumeWaiting();
      this.flush();
    });
  }

  /** Appends a whole frame the caller will not reuse. */
  protected push(b: Buffer): void {
    if (this.dead) return;
    this.out.bytes(b, 0, b.length, false);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (!this.reading && !this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.flushLater);
    }
  }

  private readonly flushLater = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  protected flush(): void {
    if (this.out.size === 0 || this.sock.destroyed || !this.sock.writable) return;
    if (this.sock.writableLength > MAX_UNREAD) {
      // The peer stopped reading while still sending (PINGs, SETTINGS...): give up on it.
      this.sock.destroy();
      return;
    }
    const b = this.out.take();
    if (b !== null && !this.sock.write(b)) this.blocked = true;
  }

  sendHeaders(s: LeanStream, h: OutHeaders, status: number | undefined, endStream: boolean): void {
    // Trailers and header-only ends still follow any DATA queued before them.
    if (status === undefined && s.queued > 0) {
      s.queue.push(this.encoder.encode(h, status));
      return;
    }
    this.sendBlock(s, this.encoder.encodeRaw(h, status), endStream);
  }

  sendFieldList(
    s: LeanStream,
    status: number,
    names: string[],
    values: string[],
    n: number,
    endStream: boolean,
  ): void {
    this.sendBlock(s, this.encoder.encodeList(status, names, values, n), endStream);
  }

  /** `block`: a view of the encoder's buffer, FRAME_HEAD free octets then the header block. */
  private sendBlock(s: LeanStream, block: Buffer, endStream: boolean): void {
    if (block.length - FRAME_HEAD <= this.peerMaxFrame && !this.dead) {
      const flags = FLAG.END_HEADERS | (endStream ? FLAG.END_STREAM : 0);
      writeHead(block, 0, block.length - FRAME_HEAD, FRAME.HEADERS, flags, s.id);
      this.out.bytes(block, 0, block.length, true);
      this.scheduleFlush();
    } else {
      for (const f of headerFrames(Buffer.from(block), s.id, endStream, this.peerMaxFrame))
        this.push(f);
    }
    if (endStream) this.localDone(s);
  }

  pump(s: LeanStream): void {
    while (s.queued > 0) {
      const head = s.queue[0] as Buffer;
      const allowed = Math.min(s.sendWindow, this.connSendWindow, this.peerMaxFrame);
      if (allowed <= 0 || this.blocked) {
        this.waiting.add(s);
        this.maybeDrain(s);
        return;
      }
      const n = Math.min(allowed, head.length);
      const chunk = n === head.length ? head : head.subarray(0, n);
      if (n === head.length) s.queue.shift();
      else s.queue[0] = head.subarray(n);
      s.queued -= n;
      s.sendWindow -= n;
      this.connSendWindow -= n;
      const last = s.queued === 0 && s.endPending && !s.wantTrailers;
      this.data(s.id, chunk, last, s.borrowed !== null && head.buffer === s.borrowed.buffer);
      if (last) {
        s.localEnded = true;
        this.localDone(s);
        return;
      }
    }
    this.waiting.delete(s);
    if (s.queue.length > 0) {
      // Trailers queued behind the data that just went out.
      const block = s.queue.shift() as Buffer;
      for (const f of headerFrames(block, s.id, true, this.peerMaxFrame)) this.push(f);
      this.localDone(s);
      return;
    }
    if (s.endPending && !s.localEnded) {
      if (s.wantTrailers) {
        s.wantTrailers = false;
        s.trailersWanted();
        if (!s.localEnded && !s.closed) s.sendTrailers({});
      } else {
        s.localEnded = true;
        this.data(s.id, EMPTY, true);
        this.localDone(s);
      }
      return;
    }
    this.maybeDrain(s);
  }

  /** One DATA frame; `copy`: the chunk is borrowed and must not be referenced after the call. */
  private data(id: number, chunk: Buffer, end: boolean, copy = false): void {
    if (this.dead) return;
    this.out.head(chunk.length, FRAME.DATA, end ? FLAG.END_STREAM : 0, id);
    this.out.bytes(chunk, 0, chunk.length, copy);
    this.scheduleFlush();
  }

  private maybeDrain(s: LeanStream): void {
    if (s.needDrain && s.queued < STREAM_HIGH_WATER && !s.closed) {
      s.needDrain = false;
      process.nextTick(() => s.drained());
    }
  }

  /** Our side finished the stream: close it, resetting (NO_ERROR) a request still uploading. */
  private localDone(s: LeanStream): void {
    this.waiting.delete(s);
    if (!s.remoteEnded) this.sendRst(s.id, ERR.NO_ERROR);
    this.closeStream(s, ERR.NO_ERROR, false);
  }

  reset(s: LeanStream, code: number): void {
    if (s.remoteEnded) this.push(u32Frame(FRAME.RST_STREAM, s.id, code));
    else this.sendRst(s.id, code);
    this.closeStream(s, code, code !== ERR.NO_ERROR);
  }

  /** RST_STREAM on a stream the client may still be sending on (its id is remembered). */
  protected sendRst(id: number, code: number): void {
    this.push(u32Frame(FRAME.RST_STREAM, id, code));
    this.resetIds ??= new Set();
    const ids = this.resetIds;
    ids.add(id);
    if (ids.size > MAX_RESET_IDS) ids.delete(ids.values().next().value as number);
  }

  /** Whether HEADERS on the closed stream `id` may be late trailers (we reset it). */
  protected wasReset(id: number): boolean {
    return this.resetIds?.has(id) === true;
  }

  protected closeStream(s: LeanStream, code: number, aborted: boolean): void {
    if (s.closed) return;
    this.streams.delete(s.id);
    this.waiting.delete(s);
    const unconsumed = s.takeUnconsumed();
    if (unconsumed > 0) this.creditConn(unconsumed);
    s.finalize(code, aborted);
    this.afterStreamClosed();
  }

  protected abstract afterStreamClosed(): void;

  consumed(s: LeanStream, n: number): void {
    this.creditConn(n);
    if (s.remoteEnded || s.closed) return;
    s.unacked += n;
    if (s.unacked >= LOCAL.streamWindow / 2) {
      this.push(u32Frame(FRAME.WINDOW_UPDATE, s.id, s.unacked));
      s.recvWindow += s.unacked;
      s.unacked = 0;
    }
  }

  protected abstract connRecvCredit(n: number): void;

  protected creditConn(n: number): void {
    this.connUnacked += n;
    if (this.connUnacked >= LOCAL.connWindow / 4) {
      this.push(u32Frame(FRAME.WINDOW_UPDATE, 0, this.connUnacked));
      this.connRecvCredit(this.connUnacked);
      this.connUnacked = 0;
    }
  }

  /** Window opened or the socket drained: continue the streams that were waiting. */
  protected resumeWaiting(): void {
    for (const s of this.waiting) {
      if (this.blocked || this.connSendWindow <= 0) return;
      if (s.sendWindow > 0) this.pump(s);
    }
  }

  protected goaway(code: number): void {
    if (this.dead) return;
    this.goawaySent = true;
    this.push(goawayFrame(this.lastStreamId, code));
  }
}
