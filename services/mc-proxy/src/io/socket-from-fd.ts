// A net.Socket over a connected TCP descriptor accepted by the native ingress. `new Socket({fd})`
// first asks libuv what kind of descriptor it got (fstat, getsockopt and getsockname: three
// system calls per connection). These descriptors are always TCP stream sockets, so when Node's
// tcp_wrap binding is reachable the TCP handle is opened directly, the way net.Server does it
// for the connections it accepts; otherwise the documented `fd` option is used.
import { Socket } from "node:net";

interface TcpHandle {
  open(fd: number): number;
  close(): void;
}
interface TcpWrap {
  TCP: new (type: number) => TcpHandle;
  constants: { SOCKET: number };
}

function loadTcpWrap(): TcpWrap | null {
  try {
    const binding = (process as unknown as { binding(name: string): unknown }).binding;
    if (typeof binding !== "function" || process.execArgv.includes("--pending-deprecation"))
      return null; // that flag turns the call into a deprecation warning: keep the logs clean
    const w = binding.call(process, "tcp_wrap") as Partial<TcpWrap>;
    return typeof w.TCP === "function" && typeof w.constants?.SOCKET === "number"
      ? (w as TcpWrap)
      : null;
  } catch {
    return null;
  }
}

const tcpWrap = loadTcpWrap();

export function socketFromFd(fd: number): Socket {
  if (tcpWrap === null) return new Socket({ fd, readable: true, writable: true });
  const handle = new tcpWrap.TCP(tcpWrap.constants.SOCKET);
  const err = handle.open(fd);
  if (err !== 0) {
    handle.close();
    throw new Error(`cannot open descriptor ${fd} as a TCP socket (libuv error ${err})`);
  }
  return new Socket({ handle, readable: true, writable: true } as ConstructorParameters<
    typeof Socket
  >[0]);
}
