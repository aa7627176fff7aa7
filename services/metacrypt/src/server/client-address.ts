// The peer address of a request: the throttle's source for unseal attempts (behind MC-Proxy it
// is the proxy's; the global limit still holds).
import { nodeObjects } from "@metacircular/mcdsl/http";
import type { Context } from "hono";

export function clientAddress(c: Context): string {
  return nodeObjects(c)?.incoming.socket.remoteAddress ?? "unknown";
}
