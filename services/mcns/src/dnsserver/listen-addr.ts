// "host:port" / "[v6]:port" parsing for the DNS listeners.

export function splitHostPort(addr: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(addr) ?? /^([^:]*):(\d+)$/.exec(addr);
  if (!m) throw new Error(`invalid listen address ${JSON.stringify(addr)} (want host:port)`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`invalid port in ${addr}`);
  return { host: m[1] || "0.0.0.0", port };
}
