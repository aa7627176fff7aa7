// The "files and images" methods of AgentService: restart, log follow and the streams of
// files and archives. Each translates to one ServiceOps use case; the first message of a
// client stream names the target, every message may carry bytes.
import type { ReadStream } from "node:fs";
import type { HandlerContext } from "@connectrpc/connect";
import { AppError } from "@metacircular/mcdsl/errors";
import { requireIdentityFrom } from "@metacircular/mcdsl/grpc";
import type { PushFileRequest, RestoreRequest } from "@metacircular/proto/mcp/v1/agent_pb";
import type { ServiceOps } from "../agent/service-ops.ts";

/** The data of every message after the first has been read. */
async function* dataOf(first: { data: Uint8Array }, rest: AsyncIterator<{ data: Uint8Array }>) {
  if (first.data.byteLength) yield first.data;
  for (;;) {
    const n = await rest.next();
    if (n.done) return;
    if (n.value.data.byteLength) yield n.value.data;
  }
}

async function firstOf<T>(reqs: AsyncIterable<T>): Promise<{ first: T; rest: AsyncIterator<T> }> {
  const it = reqs[Symbol.asyncIterator]();
  const n = await it.next();
  if (n.done) throw AppError.badRequest("empty_stream", "the stream carried no message");
  return { first: n.value, rest: it };
}

/**
 * Runs `fn` on the stream's first message and the data of the rest; when it fails before the
 * client finished sending, the rest is read and dropped so that the call ends with the error
 * instead of waiting on a request stream nobody reads.
 */
async function withStream<M extends { data: Uint8Array }, T>(
  reqs: AsyncIterable<M>,
  fn: (first: M, data: AsyncIterable<Uint8Array>) => Promise<T>,
): Promise<T> {
  const { first, rest } = await firstOf(reqs);
  try {
    return await fn(first, dataOf(first, rest));
  } catch (e) {
    for (let n = await rest.next(); !n.done; n = await rest.next()) {
      // dropped
    }
    throw e;
  }
}

async function* chunksOf(s: ReadStream) {
  try {
    for await (const c of s) yield { data: c as Buffer };
  } finally {
    s.destroy();
  }
}

/** Text as the callback hands it, until the call is cancelled or the log ends. */
async function* follow(
  run: (onText: (s: string) => void, signal: AbortSignal) => Promise<void>,
  ctx: HandlerContext,
) {
  const pending: string[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: unknown;
  const ac = new AbortController();
  ctx.signal.addEventListener("abort", () => ac.abort(), { once: true });
  run((s) => {
    pending.push(s);
    wake?.();
  }, ac.signal)
    .catch((e: unknown) => {
      failure = e;
    })
    .finally(() => {
      ended = true;
      wake?.();
    });
  try {
    for (;;) {
      while (pending.length) yield { text: pending.shift() as string };
      if (ended) break;
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = undefined;
    }
    if (failure) throw failure;
  } finally {
    ac.abort();
  }
}

export function fileHandlers(ops: ServiceOps) {
  return {
    async restartService(req: { name: string }, ctx: HandlerContext) {
      await ops.restart(requireIdentityFrom(ctx), req.name);
      return {};
    },
    followLogs(req: { service: string; component: string; tail: number }, ctx: HandlerContext) {
      const id = requireIdentityFrom(ctx);
      return follow((onText, signal) => ops.followLogs(id, req, onText, signal), ctx);
    },
    async pushFile(reqs: AsyncIterable<PushFileRequest>, ctx: HandlerContext) {
      const id = requireIdentityFrom(ctx);
      const n = await withStream(reqs, (first, data) => {
        const f = { service: first.service, path: first.path, mode: first.mode };
        return ops.pushFile(id, f, data);
      });
      return { bytes: BigInt(n) };
    },
    async *pullFile(req: { service: string; path: string }, ctx: HandlerContext) {
      yield* chunksOf(await ops.pullFile(requireIdentityFrom(ctx), req.service, req.path));
    },
    async *snapshot(req: { service: string }, ctx: HandlerContext) {
      yield* chunksOf(await ops.snapshot(requireIdentityFrom(ctx), req.service));
    },
    async restore(reqs: AsyncIterable<RestoreRequest>, ctx: HandlerContext) {
      const id = requireIdentityFrom(ctx);
      const r = await withStream(reqs, (first, data) => ops.restore(id, first.service, data));
      return { entries: BigInt(r.entries), bytes: BigInt(r.bytes) };
    },
  };
}
