// IPC messages between the cluster primary and its workers.
import type { TicketSeed } from "../proxy/ticket-keys.ts";
import type { ProxyState } from "../state/types.ts";

export type ToWorker =
  /** `tickets`: the primary's session-ticket chain position, so that workers share keys. */
  | { type: "mcp:state"; seq: number; state: ProxyState; tickets: TicketSeed }
  | { type: "mcp:status"; seq: number }
  | { type: "mcp:shutdown"; timeoutMs: number };

export type FromWorker =
  | { type: "mcp:ready"; seq: 0 }
  | { type: "mcp:applied"; seq: number; error?: string }
  | { type: "mcp:status"; seq: number; connections: number; addresses: Record<string, string> };

export function isFromWorker(m: unknown): m is FromWorker {
  return (
    typeof m === "object" &&
    m !== null &&
    typeof (m as { type?: unknown }).type === "string" &&
    (m as { type: string }).type.startsWith("mcp:")
  );
}
