// The render worker's body: loads Shiki once, then answers render and diff requests from
// MarkdownRenderer. Started by the renderer (this file under tsx, or a service's bundled entry
// that calls runRenderWorker()).
import { parentPort } from "node:worker_threads";
import { renderMarkdownDiff } from "./diff.ts";
import { type CodeHighlighter, loadShiki } from "./highlight.ts";
import type { WorkerReply, WorkerRequest } from "./protocol.ts";
import { type RenderOptions, renderMarkdown, type UrlRewriter } from "./render.ts";

/** Turns a render request's context (MarkdownRenderer.render's second argument) into a rewriter. */
export type UrlRewriterFactory = (context: unknown) => UrlRewriter | undefined;

function answer(
  req: WorkerRequest,
  hl: CodeHighlighter | undefined,
  rewriter: UrlRewriterFactory | undefined,
): WorkerReply {
  const opts: RenderOptions = { hugeBytes: req.hugeBytes };
  if (hl) opts.highlighter = hl;
  try {
    if (req.kind === "render") {
      const rewrite = req.context !== undefined ? rewriter?.(req.context) : undefined;
      if (rewrite) opts.rewriteUrl = rewrite;
      return { id: req.id, ok: true, result: renderMarkdown(req.source, opts) };
    }
    return { id: req.id, ok: true, result: renderMarkdownDiff(req.before, req.after, opts) };
  } catch (e) {
    return { id: req.id, ok: false, message: (e as Error).message };
  }
}

/** The worker's body; `rewriter` lets a service's own worker entry rewrite links per request. */
export function runRenderWorker(rewriter?: UrlRewriterFactory): void {
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
    port.postMessage(answer(req, hl, rewriter));
  });
}
