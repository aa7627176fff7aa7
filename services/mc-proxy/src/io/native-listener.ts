// A listener on the native ingress: the configured host is turned into a numeric address (the
// addon binds numeric addresses only; an empty host means every interface, dual-stack).
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { formatListenAddr } from "@metacircular/mcdsl/config";
import type { ListenerBinding, NativeIngress } from "./native-ingress.ts";
import type { ListenerHandle } from "./node-listener.ts";

export async function numericHost(host: string): Promise<string[]> {
  if (host === "") return ["::", "0.0.0.0"];
  if (isIP(host) !== 0) return [host];
  return [(await lookup(host)).address];
}

export async function startNativeListener(
  ingress: NativeIngress,
  host: string,
  port: number,
  binding: ListenerBinding,
): Promise<ListenerHandle> {
  const candidates = await numericHost(host);
  let last: Error | undefined;
  for (const ip of candidates) {
    try {
      const l = ingress.listen(ip, port, binding);
      return { address: formatListenAddr({ host: l.address, port: l.port }), close: l.close };
    } catch (e) {
      last = e as Error;
    }
  }
  throw last ?? new Error(`cannot listen on ${host}:${port}`);
}
