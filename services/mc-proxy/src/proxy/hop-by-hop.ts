// Hop-by-hop header names (RFC 9110 §7.6.1, plus the de-facto keep-alive/proxy-connection and
// HTTP/2's upgrade token): they describe one connection and are never forwarded. Shared by every
// forwarding path so they cannot drift apart.
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "http2-settings",
]);

/** The forwarding headers a proxy sets itself; values sent by the client are replaced. */
export const FORWARDING_SET_BY_PROXY: readonly string[] = ["x-real-ip", "x-forwarded-proto"];
