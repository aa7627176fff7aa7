// Client helpers: curl, raw TLS probes and Node HTTP/2.
import { execFile } from "node:child_process";
import { connect as h2connect } from "node:http2";
import { type PeerCertificate, connect as tlsConnect } from "node:tls";

export function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile("curl", ["-sS", "--max-time", "10", ...args], (err, stdout, stderr) => {
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

export function resolveArg(host: string, port: number): string[] {
  return ["--resolve", `${host}:${port}:127.0.0.1`];
}

/** TLS handshake only: the peer certificate's subject CN, or the error code. */
export function peerCert(
  port: number,
  servername: string,
  ca: string,
): Promise<{ cn?: string; fingerprint?: string; error?: string; alpn?: string | false }> {
  return new Promise((res) => {
    const s = tlsConnect(
      { host: "127.0.0.1", port, servername, ca, ALPNProtocols: ["h2", "http/1.1"] },
      () => {
        const c: PeerCertificate = s.getPeerCertificate();
        res({
          cn: String(c.subject?.CN),
          fingerprint: c.fingerprint256,
          alpn: s.alpnProtocol ?? false,
        });
        s.destroy();
      },
    );
    s.on("error", (e: Error & { code?: string }) => res({ error: e.code ?? e.message }));
  });
}

export function h2get(
  port: number,
  host: string,
  ca: string,
  path = "/",
): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const c = h2connect(`https://127.0.0.1:${port}`, { ca, servername: host });
    c.on("error", rej);
    const r = c.request({ ":path": path, ":authority": host });
    let status = 0;
    let body = "";
    r.on("response", (h) => (status = Number(h[":status"])));
    r.setEncoding("utf8");
    r.on("data", (d: string) => (body += d));
    r.on("end", () => {
      c.close();
      res({ status, body });
    });
    r.on("error", rej);
  });
}
