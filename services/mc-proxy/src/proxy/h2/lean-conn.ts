// The receiving half of a lean HTTP/2 server connection (RFC 9113): preface, frame parsing with
// the stream state machine, HPACK decoding, flow-control accounting, limits against abuse
// (concurrency, header size, CONTINUATION, rapid reset, control-frame floods) and graceful drain.
// Protocol violations become RST_STREAM or GOAWAY, never exceptions.
import type { Duplex } from "node:stream";
import { ConnControl, ConnError } from "./conn-control.ts";
import { ERR, FLAG, FRAME, LOCAL, PREFACE, SETTING } from "./constants.ts";
import { pingAck, settingsFrame, u32Frame } from "./frame-out.ts";
import { HpackDecoder, HpackError } from "./hpack-decoder.ts";
import { LeanStream } from "./lean-stream.ts";
import { HeaderCollector, type RequestFields } from "./request-headers.ts";

export interface LeanConnHooks {
  /** A new request stream; `endStream`: the request has no body. */
  onStream(s: LeanStream, fields: RequestFields, endStream: boolean): void;
  onClose?(): void;
  /** How long the client has for its preface and SETTINGS (default 10 s). */
  prefaceTimeoutMs?: number;
  /** Milliseconds for the per-second abuse budgets (default performance.now; tests fix it). */
  clock?: () => number;
}

export class LeanConn extends ConnControl {
  private rest: Buffer | null = null;
  private prefaceSeen = false;
  private readonly decoder = new HpackDecoder(LOCAL.headerTableSize);
  private readonly collector = new HeaderCollector();
  /** CONTINUATION state: stream id (0: none), flags of the HEADERS frame, fragments. */
  private contId = 0;
  private contFlags = 0;
  private contParts: Buffer[] = [];
  private contLen = 0;

  constructor(
    sock: Duplex,
    private readonly hooks: LeanConnHooks,
  ) {
    super(sock, hooks.onClose, hooks.prefaceTimeoutMs, hooks.clock);
    this.push(
      settingsFrame([
        [SETTING.MAX_CONCURRENT_STREAMS, LOCAL.maxConcurrentStreams],
        [SETTING.INITIAL_WINDOW_SIZE, LOCAL.streamWindow],
        [SETTING.MAX_FRAME_SIZE, LOCAL.maxFrameSize],
        [SETTING.MAX_HEADER_LIST_SIZE, LOCAL.maxHeaderList],
      ]),
    );
    this.push(u32Frame(FRAME.WINDOW_UPDATE, 0, LOCAL.connWindow - 65_535));
    sock.on("data", this.onData);
    sock.on("error", () => sock.destroy());
    sock.on("end", () => sock.end());
    sock.on("close", () => this.onSockClose());
  }

  private readonly onData = (d: Buffer): void => {
    if (this.dead) return;
    this.reading = true;
    try {
      this.feed(d);
    } catch (e) {
      if (e instanceof ConnError) this.fail(e.code, e.message);
      else if (e instanceof HpackError) this.fail(ERR.COMPRESSION_ERROR, e.message);
      else this.fail(ERR.INTERNAL_ERROR, (e as Error).message);
    }
    this.reading = false;
    this.flush();
  };

  private feed(d: Buffer): void {
    let b = this.rest === null ? d : Buffer.concat([this.rest, d]);
    this.rest = null;
    let p = 0;
    if (!this.prefaceSeen) {
      const n = Math.min(b.length, PREFACE.length);
      if (b.compare(PREFACE, 0, n, 0, n) !== 0)
        throw new ConnError(ERR.PROTOCOL_ERROR, "bad preface");
      if (n < PREFACE.length) {
        this.rest = b;
        return;
      }
      this.prefaceSeen = true;
      p = PREFACE.length;
    }
    while (b.length - p >= 9 && !this.dead) {
      const len = (b[p] as number) * 65536 + (b[p + 1] as number) * 256 + (b[p + 2] as number);
      if (len > LOCAL.maxFrameSize) throw new ConnError(ERR.FRAME_SIZE_ERROR, "frame too large");
      if (b.length - p < 9 + len) break;
      const type = b[p + 3] as number;
      const flags = b[p + 4] as number;
      const id = b.readUInt32BE(p + 5) & 0x7fffffff;
      const payload = b.subarray(p + 9, p + 9 + len);
      p += 9 + len;
      this.frame(type, flags, id, payload);
    }
    if (p < b.length && !this.dead) {
      b = b.subarray(p);
      // A partial frame is kept; copy small tails so the big read buffer can be released.
      this.rest = b.length < 4096 ? Buffer.from(b) : b;
    }
  }

  private frame(type: number, flags: number, id: number, p: Buffer): void {
    if (!this.settingsSeen && type !== FRAME.SETTINGS)
      throw new ConnError(ERR.PROTOCOL_ERROR, "first frame is not SETTINGS");
    if (this.contId !== 0 && type !== FRAME.CONTINUATION)
      throw new ConnError(ERR.PROTOCOL_ERROR, "header block interrupted");
    switch (type) {
      case FRAME.DATA: {
        this.onDataFrame(flags, id, p);
        return;
      }
      case FRAME.HEADERS: {
        this.onHeaders(flags, id, p);
        return;
      }
      case FRAME.CONTINUATION: {
        this.onContinuation(flags, id, p);
        return;
      }
      case FRAME.PRIORITY:
        this.spend("cheap");
        if (id === 0) throw new ConnError(ERR.PROTOCOL_ERROR, "PRIORITY on stream 0");
        if (p.length !== 5) {
          this.streamError(id, ERR.FRAME_SIZE_ERROR);
          return;
        }
        if ((p.readUInt32BE(0) & 0x7fffffff) === id) this.streamError(id, ERR.PROTOCOL_ERROR);
        return;
      case FRAME.RST_STREAM: {
        this.onRst(id, p);
        return;
      }
      case FRAME.SETTINGS: {
        this.onSettings(flags, id, p);
        return;
      }
      case FRAME.PUSH_PROMISE:
        throw new ConnError(ERR.PROTOCOL_ERROR, "PUSH_PROMISE from a client");
      case FRAME.PING:
        if (id !== 0) throw new ConnError(ERR.PROTOCOL_ERROR, "PING on a stream");
        if (p.length !== 8) throw new ConnError(ERR.FRAME_SIZE_ERROR, "PING length");
        this.spend("cheap");
        if ((flags & FLAG.ACK) === 0) this.push(pingAck(p));
        return;
      case FRAME.GOAWAY:
        if (id !== 0) throw new ConnError(ERR.PROTOCOL_ERROR, "GOAWAY on a stream");
        if (p.length < 8) throw new ConnError(ERR.FRAME_SIZE_ERROR, "GOAWAY length");
        this.remoteGoaway = true;
        this.afterStreamClosed();
        return;
      case FRAME.WINDOW_UPDATE: {
        this.onWindowUpdate(id, p);
        return;
      }
      default:
        this.spend("cheap"); // unknown frame types are ignored (§5.5)
    }
  }

  private onDataFrame(flags: number, id: number, p: Buffer): void {
    if (id === 0) throw new ConnError(ERR.PROTOCOL_ERROR, "DATA on stream 0");
    const len = p.length;
    if (len > this.connRecvWindow)
      throw new ConnError(ERR.FLOW_CONTROL_ERROR, "connection window exceeded");
    this.connRecvWindow -= len;
    let data = p;
    if (flags & FLAG.PADDED) {
      if (len < 1 || (p[0] as number) >= len)
        throw new ConnError(ERR.PROTOCOL_ERROR, "bad padding");
      data = p.subarray(1, len - (p[0] as number));
    }
    const end = (flags & FLAG.END_STREAM) !== 0;
    const s = this.streams.get(id);
    if (s === undefined) {
      if (id > this.lastStreamId) throw new ConnError(ERR.PROTOCOL_ERROR, "DATA on an idle stream");
      this.creditConn(len); // a stream already closed: discard, keep the window open
      return;
    }
    if (s.remoteEnded) {
      this.creditConn(len);
      this.streamError(id, ERR.STREAM_CLOSED);
      return;
    }
    if (len > s.recvWindow) {
      this.creditConn(len);
      this.streamError(id, ERR.FLOW_CONTROL_ERROR);
      return;
    }
    s.recvWindow -= len;
    if (data.length === 0 && !end) this.spend("cheap");
    if (len > data.length) this.consumed(s, len - data.length); // padding
    s.received += data.length;
    const cl = s.expectedLength;
    if (cl >= 0 && (s.received > cl || (end && s.received !== cl))) {
      this.creditConn(data.length);
      this.streamError(id, ERR.PROTOCOL_ERROR);
      return;
    }
    s.deliver(data, end);
  }

  private onHeaders(flags: number, id: number, p: Buffer): void {
    if (id === 0) throw new ConnError(ERR.PROTOCOL_ERROR, "HEADERS on stream 0");
    let off = 0;
    let end = p.length;
    if (flags & FLAG.PADDED) {
      if (end < 1) throw new ConnError(ERR.FRAME_SIZE_ERROR, "HEADERS too short");
      end -= p[0] as number;
      off = 1;
    }
    let selfDependent = false;
    if (flags & FLAG.PRIORITY) {
      if (end - off < 5) throw new ConnError(ERR.FRAME_SIZE_ERROR, "HEADERS too short");
      selfDependent = (p.readUInt32BE(off) & 0x7fffffff) === id;
      off += 5;
    }
    if (end < off) throw new ConnError(ERR.PROTOCOL_ERROR, "bad padding");
    const block = p.subarray(off, end);
    if (selfDependent) flags |= 0x100; // remembered through CONTINUATION
    if (flags & FLAG.END_HEADERS) {
      this.headerBlock(id, flags, block);
      return;
    }
    this.contId = id;
    this.contFlags = flags;
    this.contParts = [block];
    this.contLen = block.length;
  }

  private onContinuation(flags: number, id: number, p: Buffer): void {
    if (this.contId === 0 || id !== this.contId)
      throw new ConnError(ERR.PROTOCOL_ERROR, "unexpected CONTINUATION");
    if (p.length === 0 && (flags & FLAG.END_HEADERS) === 0) this.spend("cheap");
    this.contLen += p.length;
    if (this.contLen > LOCAL.maxHeaderBlock)
      throw new ConnError(ERR.ENHANCE_YOUR_CALM, "header block too large");
    this.contParts.push(p);
    if ((flags & FLAG.END_HEADERS) === 0) return;
    const block = Buffer.concat(this.contParts, this.contLen);
    this.contId = 0;
    this.contParts = [];
    this.headerBlock(id, this.contFlags, block);
  }

  private headerBlock(id: number, flags: number, block: Buffer): void {
    const existing = this.streams.get(id);
    const c = this.collector;
    c.reset(existing !== undefined);
    this.decoder.decode(block, c.add); // HpackError → COMPRESSION_ERROR for the connection
    const end = (flags & FLAG.END_STREAM) !== 0;
    if (existing !== undefined) {
      // Trailers: must end the stream, no pseudo-headers.
      if (existing.remoteEnded) {
        this.streamError(id, ERR.STREAM_CLOSED);
        return;
      }
      if (!end || c.finish() === null) {
        this.streamError(id, ERR.PROTOCOL_ERROR);
        return;
      }
      const cl = existing.expectedLength;
      if (cl >= 0 && existing.received !== cl) {
        this.streamError(id, ERR.PROTOCOL_ERROR);
        return;
      }
      existing.deliver(Buffer.alloc(0), true);
      return;
    }
    if ((id & 1) === 0) throw new ConnError(ERR.PROTOCOL_ERROR, "even stream id from a client");
    if (id <= this.lastStreamId) {
      // Trailers of a stream we reset may cross our RST_STREAM; any other HEADERS on a closed or
      // skipped id reuses it or goes backwards (RFC 9113 §5.1.1).
      if (this.wasReset(id)) return;
      throw new ConnError(ERR.PROTOCOL_ERROR, "stream id not above the last one");
    }
    this.lastStreamId = id;
    if (flags & 0x100) {
      this.streamError(id, ERR.PROTOCOL_ERROR);
      return;
    }
    if (this.goawaySent || this.remoteGoaway) {
      this.streamError(id, ERR.REFUSED_STREAM);
      return;
    }
    if (this.streams.size >= LOCAL.maxConcurrentStreams) {
      this.spend("refused");
      this.streamError(id, ERR.REFUSED_STREAM);
      return;
    }
    const cl = c.finish();
    if (cl === null) {
      this.streamError(id, c.tooLarge ? ERR.ENHANCE_YOUR_CALM : ERR.PROTOCOL_ERROR);
      return;
    }
    if (end && cl > 0) {
      this.streamError(id, ERR.PROTOCOL_ERROR);
      return;
    }
    const s = new LeanStream(id, this, this.peerInitialWindow, LOCAL.streamWindow, cl);
    s.remoteEnded = end;
    if (end) s.readableEnded = true;
    this.streams.set(id, s);
    this.hooks.onStream(s, c.fields, end);
  }
}
