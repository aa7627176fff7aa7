// A parsed HTTP/1.x message head as the lean path uses it (parse-head.ts fills it in, the fast
// paths of head-scan.ts too).

export interface Head {
  /** Request: method and target. Response: empty strings. */
  method: string;
  target: string;
  /** Response: status code and reason. Request: 0 and "". */
  status: number;
  reason: string;
  /** HTTP/1.0 → 0, HTTP/1.1 → 1. */
  minor: number;
  names: string[];
  values: string[];
  /** Bytes of the head including the blank line. */
  consumed: number;
  /** -1 when absent. */
  contentLength: number;
  chunked: boolean;
  /** The raw Transfer-Encoding value (responses keep it verbatim when they are chunked). */
  transferEncoding: string | undefined;
  /** The connection must not be reused after this message (Connection: close, or 1.0 without keep-alive). */
  close: boolean;
  /** Connection: upgrade together with an Upgrade header. */
  upgrade: boolean;
  /** Extra hop-by-hop header names listed in Connection (null when none). */
  connectionTokens: string[] | null;
  host: string | undefined;
}

/** A head with nothing parsed yet; `consumed`: bytes up to and including the blank line. */
export function blankHead(consumed: number): Head {
  return {
    method: "",
    target: "",
    status: 0,
    reason: "",
    minor: 1,
    names: [],
    values: [],
    consumed,
    contentLength: -1,
    chunked: false,
    transferEncoding: undefined,
    close: false,
    upgrade: false,
    connectionTokens: null,
    host: undefined,
  };
}
