// How a forwarding path reports a finished exchange (status, route, start time) to the L7 front
// for metrics and the access log.
import type { ConnMeta } from "./conn-meta.ts";

export type Done = (status: number, meta: ConnMeta, started: number) => void;
