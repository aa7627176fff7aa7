// arch: parser
// Finds where an HTTP/1.1 message body ends without copying it: fixed length, chunked (validated
// strictly as it streams past, trailers included) or delimited by the connection closing. The
// bytes themselves are forwarded verbatim by the caller; `onData` optionally receives the decoded
// payload (for HTTP/2 clients) and `trailers` collects trailer lines.

export type Framing = "none" | "length" | "chunked" | "close";

export class FramingError extends Error {}

const S = {
  Size: 0,
  Ext: 1,
  SizeLf: 2,
  Data: 3,
  DataCr: 4,
  DataLf: 5,
  TrailerStart: 6,
  Trailer: 7,
  TrailerLf: 8,
  EndLf: 9,
  Done: 10,
} as const;
type State = (typeof S)[keyof typeof S];

const MAX_SIZE_DIGITS = 12;
const NO_TRAILERS: readonly string[] = Object.freeze([]);
const MAX_TRAILER_BYTES = 16 * 1024;

export type DataSink = (buf: Buffer, start: number, end: number) => void;

export class BodyFramer {
  private s: State = S.Size;
  private remaining = 0;
  private digits = 0;
  private trailerBytes = 0;
  private line = "";
  /** Made at the first trailer line (most messages have none). */
  private trailerLines: string[] | null = null;

  constructor(
    readonly framing: Framing,
    length = 0,
  ) {
    if (framing === "length") this.remaining = length;
    if (framing === "none" || (framing === "length" && length === 0)) this.s = S.Done;
  }

  /** Trailer field lines ("name: value"), chunked bodies only. */
  get trailers(): readonly string[] {
    return this.trailerLines ?? NO_TRAILERS;
  }

  get done(): boolean {
    return this.s === S.Done;
  }

  /**
   * Consume buf[start..]. Returns the index just past the end of the body, or -1 when the body
   * continues beyond this buffer. Throws FramingError on malformed chunked encoding.
   */
  feed(buf: Buffer, start: number, onData?: DataSink): number {
    if (this.s === S.Done) return start;
    if (this.framing === "close") {
      onData?.(buf, start, buf.length);
      return -1;
    }
    if (this.framing === "length") {
      const avail = buf.length - start;
      if (avail < this.remaining) {
        this.remaining -= avail;
        onData?.(buf, start, buf.length);
        return -1;
      }
      const end = start + this.remaining;
      onData?.(buf, start, end);
      this.remaining = 0;
      this.s = S.Done;
      return end;
    }
    return this.chunked(buf, start, onData);
  }

  private chunked(buf: Buffer, start: number, onData?: DataSink): number {
    let i = start;
    const n = buf.length;
    while (i < n) {
      const c = buf[i] as number;
      switch (this.s) {
        case S.Size: {
          const v = hex(c);
          if (v >= 0) {
            if (++this.digits > MAX_SIZE_DIGITS) throw new FramingError("chunk size too large");
            this.remaining = this.remaining * 16 + v;
          } else if (this.digits === 0) throw new FramingError("bad chunk size");
          else if (c === 13) this.s = S.SizeLf;
          else if (c === 59 /* ; */ || c === 32 || c === 9) this.s = S.Ext;
          else throw new FramingError("bad chunk size");
          i++;
          break;
        }
        case S.Ext:
          if (c === 13) this.s = S.SizeLf;
          else if (c < 32 && c !== 9) throw new FramingError("bad chunk extension");
          i++;
          break;
        case S.SizeLf:
          if (c !== 10) throw new FramingError("expected LF after chunk size");
          i++;
          this.digits = 0;
          this.s = this.remaining === 0 ? S.TrailerStart : S.Data;
          break;
        case S.Data: {
          const take = Math.min(this.remaining, n - i);
          onData?.(buf, i, i + take);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.s = S.DataCr;
          break;
        }
        case S.DataCr:
          if (c !== 13) throw new FramingError("expected CRLF after chunk data");
          this.s = S.DataLf;
          i++;
          break;
        case S.DataLf:
          if (c !== 10) throw new FramingError("expected CRLF after chunk data");
          this.s = S.Size;
          i++;
          break;
        case S.TrailerStart:
          if (c === 13) {
            this.s = S.EndLf;
            i++;
            break;
          }
          this.line = "";
          this.s = S.Trailer;
          break;
        case S.Trailer:
          if (c === 13) this.s = S.TrailerLf;
          else if ((c < 32 && c !== 9) || c === 127) throw new FramingError("bad trailer");
          else this.line += String.fromCharCode(c);
          if (++this.trailerBytes > MAX_TRAILER_BYTES) throw new FramingError("trailers too large");
          i++;
          break;
        case S.TrailerLf:
          if (c !== 10) throw new FramingError("expected LF after trailer");
          if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:/.test(this.line))
            throw new FramingError("bad trailer");
          this.trailerLines ??= [];
          this.trailerLines.push(this.line);
          this.s = S.TrailerStart;
          i++;
          break;
        case S.EndLf:
          if (c !== 10) throw new FramingError("expected LF at end of chunked body");
          this.s = S.Done;
          return i + 1;
        default:
          return i;
      }
    }
    return -1;
  }
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** How a response body is delimited (RFC 9112 6.3) given the request method. */
export function responseFraming(
  method: string,
  status: number,
  chunked: boolean,
  contentLength: number,
): Framing {
  if (method === "HEAD" || status < 200 || status === 204 || status === 304) return "none";
  if (chunked) return "chunked";
  if (contentLength >= 0) return "length";
  return "close";
}

/** How a request body is delimited: requests without either header have none. */
export function requestFraming(chunked: boolean, contentLength: number): Framing {
  if (chunked) return "chunked";
  if (contentLength > 0) return "length";
  return "none";
}
