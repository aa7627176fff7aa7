// MarkdownRenderer: renders on one worker thread so a large document (Shiki's grammars are
// CPU-heavy) never blocks the event loop. The worker is started on first use, loads Shiki once,
// is kept unreferenced while idle (it never holds a process open) and is restarted after a crash;
// requests in flight when it dies are rejected.
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { DiffResult } from "./diff.ts";
import type { WorkerReply, WorkerRequest } from "./protocol.ts";
import { DEFAULT_HUGE_BYTES, type RenderResult } from "./render.ts";

export interface MarkdownRendererOptions {
  /** The worker entry; default this module's render-worker.ts (a bundle passes its own file). */
  workerFile?: URL | string;
  /** Sources above this many UTF-16 units are highlighted with highlight.js. */
  hugeBytes?: number;
}

/**
 * A bundled (JavaScript) entry starts directly. A TypeScript entry (development and tests) needs
 * tsx inside the worker: on Node 20 `--import tsx` in a worker's execArgv does not reach its
 * entry module, so a small evaluated entry registers tsx's loader first, then imports the file.
 */
function workerFor(file: URL | string): Worker {
  const href = file instanceof URL ? file.href : pathToFileURL(file).href;
  if (!href.endsWith(".ts")) return new Worker(new URL(href), { execArgv: [] });
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(href)}); });`;
  return new Worker(code, { eval: true, execArgv: [] });
}

type Pending = { resolve: (v: RenderResult | DiffResult) => void; reject: (e: Error) => void };

export class MarkdownRenderer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly file: URL | string;
  private readonly hugeBytes: number;

  constructor(opts: MarkdownRendererOptions = {}) {
    this.file = opts.workerFile ?? new URL("./render-worker.ts", import.meta.url);
    this.hugeBytes = opts.hugeBytes ?? DEFAULT_HUGE_BYTES;
  }

  /** Starts the worker now (it loads Shiki at once), so the first render does not wait for it. */
  start(): void {
    this.ensureWorker();
  }

  /** `context` (structured-clonable) goes to the worker's UrlRewriterFactory, if it has one. */
  render(source: string, context?: unknown): Promise<RenderResult> {
    const id = this.nextId++;
    const req: WorkerRequest = { kind: "render", id, source, hugeBytes: this.hugeBytes };
    if (context !== undefined) req.context = context;
    return this.send(req) as Promise<RenderResult>;
  }

  diff(before: string, after: string): Promise<DiffResult> {
    const id = this.nextId++;
    return this.send({
      kind: "diff",
      id,
      before,
      after,
      hugeBytes: this.hugeBytes,
    }) as Promise<DiffResult>;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new Error("markdown renderer closed"));
    if (w) await w.terminate();
  }

  private send(req: WorkerRequest): Promise<RenderResult | DiffResult> {
    const w = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      w.ref();
      w.postMessage(req);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = workerFor(this.file);
    w.unref();
    w.on("message", (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) w.unref();
      if (!p) return;
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(`markdown rendering failed: ${reply.message}`));
    });
    const lost = (err: Error) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.failAll(err);
    };
    w.on("error", lost);
    w.on("exit", (code) => lost(new Error(`markdown render worker exited (code ${code})`)));
    this.worker = w;
    return w;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
