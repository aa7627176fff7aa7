// The proxies under test and the shared backend, each a child process with a temp-dir config on
// loopback high ports: mc-proxy, HAProxy, nginx, Caddy (L7 only: Debian's Caddy has no layer4).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { REPO_ROOT } from "@metacircular/testkit";

export interface Proc {
  name: string;
  proc: ChildProcess;
  out: () => string;
  stop(): Promise<void>;
}

export function run(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const proc = spawn(cmd, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let buf = "";
  proc.stdout?.on("data", (d: Buffer) => (buf = (buf + d.toString()).slice(-20000)));
  proc.stderr?.on("data", (d: Buffer) => (buf = (buf + d.toString()).slice(-20000)));
  return {
    name,
    proc,
    out: () => buf,
    stop: () =>
      new Promise((res) => {
        if (proc.exitCode !== null) return res();
        proc.once("exit", () => res());
        proc.kill("SIGTERM");
        setTimeout(() => proc.kill("SIGKILL"), 5000).unref();
      }),
  };
}

export async function waitPort(port: number, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect({ host: "127.0.0.1", port }, () => {
        s.destroy();
        res(true);
      });
      s.on("error", () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not open`);
}

export interface Ports {
  backendPlain: number;
  backendTls: number;
  l7: number;
  l4: number;
}

export interface Files {
  dir: string;
  cert: string;
  key: string;
  backendCert: string;
  backendKey: string;
  big: string;
}

export function backendNginx(f: Files, p: Ports): Proc {
  const conf = `${f.dir}/backend-nginx.conf`;
  writeFileSync(
    conf,
    `user root; worker_processes 1; daemon off; pid ${f.dir}/backend.pid; error_log ${f.dir}/backend.err;
events { worker_connections 8192; }
http {
  access_log off; keepalive_requests 1000000; sendfile on;
  server {
    listen 127.0.0.1:${p.backendPlain};
    listen 127.0.0.1:${p.backendTls} ssl http2;
    ssl_certificate ${f.backendCert}; ssl_certificate_key ${f.backendKey}; ssl_protocols TLSv1.3;
    location = /big { alias ${f.big}; default_type application/octet-stream; }
    location / { default_type text/plain; return 200 "hello from the backend\\n"; }
  }
}
`,
  );
  return run("backend", "nginx", ["-p", f.dir, "-c", conf, "-e", `${f.dir}/backend.err`]);
}

/** `entry`: another mc-proxy entry point to run under tsx (e.g. an older checkout, for before/after). */
export function mcProxy(f: Files, p: Ports, workers: number, entry?: string): Proc {
  const conf = `${f.dir}/mc-proxy-${p.l7}.toml`; // one state database per instance
  writeFileSync(
    conf,
    `[server]
workers = ${workers}
access_log = false
shutdown_timeout_ms = 2000
[admin]
socket = "${f.dir}/mc-proxy-${p.l7}.sock"
[database]
path = "${f.dir}/mc-proxy-${p.l7}.db"
[log]
level = "warn"
[[listeners]]
name = "l7"
addr = "127.0.0.1:${p.l7}"
[[listeners.routes]]
hostname = "localhost"
backend = "127.0.0.1:${p.backendPlain}"
mode = "l7"
tls_cert = "${f.cert}"
tls_key = "${f.key}"
[[listeners]]
name = "l4"
addr = "127.0.0.1:${p.l4}"
[[listeners.routes]]
hostname = "localhost"
backend = "127.0.0.1:${p.backendTls}"
mode = "l4"
`,
  );
  // The deployable form: the esbuild bundle under plain node (MCPROXY_SOURCE=1: the sources
  // under tsx, as the tests run them).
  const args =
    entry !== undefined
      ? ["--import", "tsx", entry]
      : process.env.MCPROXY_SOURCE === "1"
        ? ["--import", "tsx", `${REPO_ROOT}/services/mc-proxy/src/cmd/mc-proxy.ts`]
        : ["--max-semi-space-size=8", buildMcProxy()]; // as deploy/mc-proxy.service runs it
  return run("mc-proxy", process.execPath, [...args, "server", "--config", conf]);
}

/** `npm run build` in services/mc-proxy; returns the bundle's path. */
export function buildMcProxy(): string {
  execFileSync("npm", ["run", "--silent", "build"], {
    cwd: `${REPO_ROOT}/services/mc-proxy`,
    stdio: "inherit",
  });
  return `${REPO_ROOT}/services/mc-proxy/dist/mc-proxy.cjs`;
}

export function haproxy(f: Files, p: Ports): Proc {
  const pem = `${f.dir}/haproxy.pem`;
  writeFileSync(pem, readFileSync(f.cert, "utf8") + readFileSync(f.key, "utf8"));
  const conf = `${f.dir}/haproxy.cfg`;
  writeFileSync(
    conf,
    `global
  maxconn 8000
  nbthread 2
defaults
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend l7
  mode http
  bind 127.0.0.1:${p.l7} ssl crt ${pem} alpn h2,http/1.1 ssl-min-ver TLSv1.3
  option forwardfor
  default_backend be7
backend be7
  mode http
  http-reuse always
  server s1 127.0.0.1:${p.backendPlain}
frontend l4
  mode tcp
  bind 127.0.0.1:${p.l4}
  tcp-request inspect-delay 5s
  tcp-request content accept if { req_ssl_hello_type 1 }
  use_backend be4 if { req_ssl_sni -i localhost }
backend be4
  mode tcp
  server s1 127.0.0.1:${p.backendTls}
`,
  );
  return run("haproxy", "haproxy", ["-db", "-f", conf]);
}

export function nginxProxy(f: Files, p: Ports): Proc {
  const conf = `${f.dir}/nginx-proxy.conf`;
  writeFileSync(
    conf,
    `load_module /usr/lib/nginx/modules/ngx_stream_module.so;
user root; worker_processes 2; daemon off; pid ${f.dir}/nginx-proxy.pid; error_log ${f.dir}/nginx-proxy.err;
events { worker_connections 8192; }
http {
  access_log off;
  upstream be { server 127.0.0.1:${p.backendPlain}; keepalive 128; }
  server {
    listen 127.0.0.1:${p.l7} ssl http2;
    ssl_certificate ${f.cert}; ssl_certificate_key ${f.key}; ssl_protocols TLSv1.3;
    location / {
      proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_buffering off;
    }
  }
}
stream {
  map $ssl_preread_server_name $be4 { localhost 127.0.0.1:${p.backendTls}; default 127.0.0.1:1; }
  server { listen 127.0.0.1:${p.l4}; ssl_preread on; proxy_pass $be4; }
}
`,
  );
  return run("nginx", "nginx", ["-p", f.dir, "-c", conf, "-e", `${f.dir}/nginx-proxy.err`]);
}

export function caddy(f: Files, p: Ports): Proc {
  const conf = `${f.dir}/Caddyfile`;
  writeFileSync(
    conf,
    `{
  admin off
  auto_https off
}
https://localhost:${p.l7} {
  tls ${f.cert} ${f.key}
  reverse_proxy 127.0.0.1:${p.backendPlain}
}
`,
  );
  return run("caddy", "caddy", ["run", "--config", conf, "--adapter", "caddyfile"], {
    XDG_DATA_HOME: f.dir,
    XDG_CONFIG_HOME: f.dir,
    HOME: f.dir,
  });
}
