// An MCR server process for the benchmarks: the deployed bundle (dist/mcr.mjs) over TLS against
// a real MCIAS, with its own temp store; optional node flags (e.g. --cpu-prof). Plus a minimal
// HTTPS client for the distribution API: tokens, and a blob pushed by POST + streamed PATCH +
// PUT ?digest= (what skopeo does), the body sent from memory in 1 MiB writes.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { join } from "node:path";
import {
  type ChildService,
  createTestCA,
  freePort,
  type MciasInstance,
  makeTempDir,
  startProcess,
  type TempDir,
  waitForHttp,
} from "@metacircular/testkit";

const root = join(import.meta.dirname, "../..");

export interface BenchMcr {
  url: string;
  ca: string;
  pid: number;
  dir: TempDir;
  proc: ChildService;
  stop(): Promise<void>;
}

export async function startBenchMcr(
  mcias: MciasInstance,
  nodeFlags: string[] = [],
): Promise<BenchMcr> {
  const dir = makeTempDir("mcr-bench-");
  const ca = createTestCA("MCR Bench CA");
  const leaf = ca.issue(["127.0.0.1"]);
  const port = await freePort();
  const config = dir.join("mcr.toml");
  writeFileSync(
    config,
    `[server]\nlisten_addr = "127.0.0.1:${port}"\ntls_cert = "${leaf.certPath}"\ntls_key = "${leaf.keyPath}"
[database]\npath = "${dir.join("mcr.db")}"\n[storage]\npath = "${dir.join("store")}"\n[log]\nlevel = "warn"
[mcias]\nserver_url = "${mcias.url}"\nservice_name = "mcr"\n`,
  );
  const proc = startProcess(process.execPath, {
    args: [...nodeFlags, join(root, "services/mcr/dist/mcr.mjs"), "server", "--config", config],
    tsx: false,
  });
  const url = `https://127.0.0.1:${port}`;
  await waitForHttp(`${url}/v1/health`, { ca: ca.cert, timeoutMs: 60_000 });
  return {
    url,
    ca: ca.cert,
    pid: proc.proc.pid!,
    dir,
    proc,
    async stop() {
      await proc.stop();
      dir.remove();
      ca.remove();
    },
  };
}

export class Pusher {
  private readonly agent: Agent;
  constructor(
    private readonly base: string,
    ca: string,
  ) {
    this.agent = new Agent({ keepAlive: true, ca, maxSockets: 16 });
  }

  call(
    method: string,
    path: string,
    headers: Record<string, string | number>,
    body?: (w: NodeJS.WritableStream) => Promise<void>,
  ): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.base),
        { method, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      req.on("error", reject);
      if (body) body(req).then(() => req.end(), reject);
      else req.end();
    });
  }

  async token(user: string, password: string, scope: string): Promise<string> {
    const auth = Buffer.from(`${user}:${password}`).toString("base64");
    const r = await this.call(
      "GET",
      `/v2/token?service=mcr-registry&scope=${encodeURIComponent(scope)}`,
      {
        Authorization: `Basic ${auth}`,
      },
    );
    if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
    return (JSON.parse(r.text) as { token: string }).token;
  }

  /** Pushes `total` bytes of `data` repeated with a unique prefix (a fresh digest each time). */
  async pushBlob(token: string, repo: string, data: Buffer, total: number): Promise<string> {
    const auth = { Authorization: `Bearer ${token}` };
    const start = await this.call("POST", `/v2/${repo}/blobs/uploads/`, {
      ...auth,
      "Content-Length": 0,
    });
    if (start.status !== 202) throw new Error(`start: ${start.status} ${start.text}`);
    const location = String(start.headers.location);
    const prefix = createHash("sha256").update(String(Math.random())).digest();
    const h = createHash("sha256");
    const patch = await this.call(
      "PATCH",
      location,
      { ...auth, "Content-Type": "application/octet-stream" },
      async (w) => {
        let sent = 0;
        const send = (b: Buffer) =>
          new Promise<void>((res) => (w.write(b) ? res() : w.once("drain", () => res())));
        h.update(prefix);
        await send(prefix);
        sent += prefix.length;
        while (sent < total) {
          const piece = data.subarray(0, Math.min(data.length, total - sent));
          h.update(piece);
          await send(piece);
          sent += piece.length;
        }
      },
    );
    if (patch.status !== 202) throw new Error(`patch: ${patch.status} ${patch.text}`);
    const digest = `sha256:${h.digest("hex")}`;
    const sep = String(patch.headers.location).includes("?") ? "&" : "?";
    const put = await this.call("PUT", `${patch.headers.location}${sep}digest=${digest}`, {
      ...auth,
      "Content-Length": 0,
    });
    if (put.status !== 201) throw new Error(`put: ${put.status} ${put.text}`);
    return digest;
  }

  close(): void {
    this.agent.destroy();
  }
}
