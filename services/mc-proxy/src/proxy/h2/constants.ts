// HTTP/2 wire constants (RFC 9113): frame types, flags, error codes, settings identifiers and the
// limits the lean front end advertises and enforces.

export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export const FRAME = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

export const FLAG = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

export const ERR = {
  NO_ERROR: 0,
  PROTOCOL_ERROR: 1,
  INTERNAL_ERROR: 2,
  FLOW_CONTROL_ERROR: 3,
  SETTINGS_TIMEOUT: 4,
  STREAM_CLOSED: 5,
  FRAME_SIZE_ERROR: 6,
  REFUSED_STREAM: 7,
  CANCEL: 8,
  COMPRESSION_ERROR: 9,
  CONNECT_ERROR: 10,
  ENHANCE_YOUR_CALM: 11,
  INADEQUATE_SECURITY: 12,
  HTTP_1_1_REQUIRED: 13,
} as const;

export const SETTING = {
  HEADER_TABLE_SIZE: 1,
  ENABLE_PUSH: 2,
  MAX_CONCURRENT_STREAMS: 3,
  INITIAL_WINDOW_SIZE: 4,
  MAX_FRAME_SIZE: 5,
  MAX_HEADER_LIST_SIZE: 6,
} as const;

export const MAX_WINDOW = 0x7fffffff;
export const DEFAULT_WINDOW = 65_535;
export const DEFAULT_FRAME_SIZE = 16_384;
export const MAX_FRAME_SIZE_LIMIT = 0xffffff;

/** What this server advertises and enforces. */
export const LOCAL = {
  maxConcurrentStreams: 256,
  /** Per-stream receive window (SETTINGS_INITIAL_WINDOW_SIZE). */
  streamWindow: 1 << 20,
  /** Connection receive window: bounds the request body bytes buffered per connection. */
  connWindow: 8 << 20,
  /** Largest frame payload accepted (SETTINGS_MAX_FRAME_SIZE). */
  maxFrameSize: 65_536,
  /** Decoded header list bound (SETTINGS_MAX_HEADER_LIST_SIZE, RFC 9113 §6.5.2 accounting). */
  maxHeaderList: 65_536,
  /** Encoded header block bound (HEADERS + CONTINUATION payload bytes). */
  maxHeaderBlock: 65_536,
  headerTableSize: 4_096,
} as const;

/** Abuse budgets, per connection per second (reset, cheap-frame and refusal floods). */
export const BUDGET = {
  windowMs: 1_000,
  /** RST_STREAM frames from the client (CVE-2023-44487 rapid reset). */
  resets: 200,
  /** SETTINGS, PING, PRIORITY, empty DATA/CONTINUATION and unknown frames. */
  cheap: 2_000,
  /** Streams refused for exceeding the concurrency limit. */
  refused: 200,
} as const;

/** Response bytes queued per stream beyond which write() reports backpressure. */
export const STREAM_HIGH_WATER = 64 * 1024;

/** Connection-specific field names, forbidden in HTTP/2 in both directions (RFC 9113 §8.2.2). */
export const CONNECTION_SPECIFIC: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);
