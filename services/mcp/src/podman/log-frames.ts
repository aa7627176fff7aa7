// arch: parser
// The Docker-compatible multiplexed log stream podman sends for a container without a TTY:
// frames of an 8-byte header (stream 0 stdin, 1 stdout, 2 stderr; 3 zero bytes; big-endian
// length) and that many bytes. Incremental: push chunks as they arrive, take whole frames.

export interface LogFrame {
  stream: "stdin" | "stdout" | "stderr";
  data: Buffer;
}

const STREAMS = ["stdin", "stdout", "stderr"] as const;
/** A frame longer than this is a corrupt stream, not a log line. */
export const MAX_FRAME = 16 << 20;

export class LogFrameError extends Error {}

export class LogFrameReader {
  private buf: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns every frame now complete. Throws LogFrameError on a corrupt header. */
  push(chunk: Buffer): LogFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: LogFrame[] = [];
    let off = 0;
    while (this.buf.length - off >= 8) {
      const kind = this.buf[off] as number;
      const stream = STREAMS[kind];
      if (
        !stream ||
        this.buf[off + 1] !== 0 ||
        this.buf[off + 2] !== 0 ||
        this.buf[off + 3] !== 0
      ) {
        throw new LogFrameError(`bad log frame header at byte ${off}`);
      }
      const len = this.buf.readUInt32BE(off + 4);
      if (len > MAX_FRAME) throw new LogFrameError(`log frame of ${len} bytes`);
      if (this.buf.length - off - 8 < len) break;
      out.push({ stream, data: Buffer.from(this.buf.subarray(off + 8, off + 8 + len)) });
      off += 8 + len;
    }
    this.buf = this.buf.subarray(off);
    return out;
  }

  /** Bytes of an unfinished frame still held. */
  get pending(): number {
    return this.buf.length;
  }
}

export function encodeLogFrame(f: LogFrame): Buffer {
  const h = Buffer.alloc(8);
  h[0] = STREAMS.indexOf(f.stream);
  h.writeUInt32BE(f.data.length, 4);
  return Buffer.concat([h, f.data]);
}
