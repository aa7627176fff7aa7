// The render worker's body: loads Shiki once, then answers render and diff requests from
// MarkdownRenderer. Started by the renderer (this file under tsx, or a service's bundled entry
// that calls runRenderWorker()).
import { parentPort } from "node:worker_threads";
import { renderMarkdownDiff } from "./diff.ts";
import { type CodeHighlighter, loadShiki } from "./highlight.ts";
import type { WorkerReply, WorkerRequest } from "./protocol.ts";
import { renderMarkdown } from "./render.ts";

function answer(req: WorkerRequest, hl: CodeHighlighter | undefined): WorkerReply {
  const opts = hl ? { highlighter: hl, hugeBytes: req.hugeBytes } : { hugeBytes: req.hugeBytes };
  try {
    if (req.kind === "render")
      return { id: req.id, ok: true, result: renderMarkdown(req.source, opts) };
    return { id: req.id, ok: true, result: renderMarkdownDiff(req.before, req.after, opts) };
  } catch (e) {
    return { id: req.id, ok: false, message: (e as Error).message };
  }
}

export function runRenderWorker(): void {
  const port = parentPort;
  if (!port) throw new Error("runRenderWorker must run on a worker thread");
  let hl: CodeHighlighter | undefined;
  let loading: Promise<void> | undefined = loadShiki().then(
    (h) => {
      hl = h;
    },
    () => {
      hl = undefined; // Shiki failed to load: highlight.js serves every document
    },
  );
  port.on("message", async (req: WorkerRequest) => {
    if (loading) {
      await loading;
      loading = undefined;
    }
    port.postMessage(answer(req, hl));
  });
}
