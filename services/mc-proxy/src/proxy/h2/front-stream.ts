// The stream surface the HTTP/2 forwarders are written against: satisfied by node:http2's
// ServerHttp2Stream and by the lean front end's LeanStream, so both fronts share one forwarding
// path.
import type { OutgoingHttpHeaders } from "node:http";

export interface FrontStream {
  readonly destroyed: boolean;
  readonly closed: boolean;
  readonly headersSent: boolean;
  readonly readableEnded: boolean;
  respond(
    headers: OutgoingHttpHeaders,
    options?: { endStream?: boolean; waitForTrailers?: boolean },
  ): void;
  write(chunk: Buffer): boolean;
  end(chunk?: Buffer | string): unknown;
  sendTrailers(headers: OutgoingHttpHeaders): void;
  close(code?: number): void;
  pause(): unknown;
  resume(): unknown;
  isPaused(): boolean;
  on(event: "data", listener: (d: Buffer) => void): unknown;
  on(event: "end" | "close" | "drain" | "wantTrailers" | "aborted", listener: () => void): unknown;
  on(event: "error", listener: (e: Error) => void): unknown;
  once(event: "end" | "close" | "drain" | "wantTrailers", listener: () => void): unknown;
}
