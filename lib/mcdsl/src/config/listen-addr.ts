// Listen addresses as written in config and $PORT: "host:port", ":port" (all interfaces) or
// "[v6]:port". Port 0 asks the OS for a free port (tests).

export interface ListenAddr {
  /** Empty string means every interface. IPv6 hosts are returned without brackets. */
  host: string;
  port: number;
}

export class ListenAddrError extends Error {}

export interface ParseListenAddrOptions {
  /** The host an empty one (":port") stands for, e.g. "0.0.0.0" for a UDP socket; default "". */
  anyHost?: string;
}

export function parseListenAddr(addr: string, opts: ParseListenAddrOptions = {}): ListenAddr {
  let host: string;
  let portText: string;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(addr);
  if (v6) {
    host = v6[1]!;
    portText = v6[2]!;
  } else {
    const i = addr.lastIndexOf(":");
    if (i < 0) throw new ListenAddrError(`"${addr}" is not host:port, :port or [v6]:port`);
    host = addr.slice(0, i);
    portText = addr.slice(i + 1);
    if (host.includes(":")) throw new ListenAddrError(`IPv6 host in "${addr}" needs brackets`);
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new ListenAddrError(`port "${portText}" in "${addr}" is not 0-65535`);
  }
  return { host: host || (opts.anyHost ?? ""), port: Number(portText) };
}

/** "host:port" for display and URLs; IPv6 gets brackets, an empty host stays empty. */
export function formatListenAddr(a: ListenAddr): string {
  const host = a.host.includes(":") ? `[${a.host}]` : a.host;
  return `${host}:${a.port}`;
}

/** $PORT may hold a bare port ("8080" → ":8080") or a full address. */
export function portEnvToAddr(value: string): string {
  const v = value.trim();
  return /^\d+$/.test(v) ? `:${v}` : v;
}

export function isListenAddr(addr: string): boolean {
  try {
    parseListenAddr(addr);
    return true;
  } catch {
    return false;
  }
}
