// "host:port" / "[v6]:port" backend addresses.
export interface HostPort {
  host: string;
  port: number;
}

export function parseBackend(addr: string): HostPort {
  const v6 = /^\[([^\]]+)\]:(\d{1,5})$/.exec(addr);
  const m = v6 ?? /^([^:[\]]+):(\d{1,5})$/.exec(addr);
  if (m === null || Number(m[2]) > 65535 || Number(m[2]) === 0) {
    throw new Error(`backend "${addr}" is not host:port`);
  }
  return { host: m[1] as string, port: Number(m[2]) };
}
