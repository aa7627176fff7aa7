// Messages between MarkdownRenderer and its worker thread.
import type { DiffResult } from "./diff.ts";
import type { RenderResult } from "./render.ts";

export type WorkerRequest =
  | { kind: "render"; id: number; source: string; hugeBytes: number; context?: unknown }
  | { kind: "diff"; id: number; before: string; after: string; hugeBytes: number };

export type WorkerReply =
  | { id: number; ok: true; result: RenderResult | DiffResult }
  | { id: number; ok: false; message: string };
