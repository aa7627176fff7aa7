// Writes a stream of small buffers (TLS hands over ~16-64 KiB at a time) to a file in batches of
// BATCH_BYTES with one writev(2) each, one batch in flight while the next fills: a 200 MiB
// layer costs about a hundred write calls instead of thousands, and the buffers are written as
// they came (no copy into a bigger one). Memory: at most two batches per upload.
import type { FileHandle } from "node:fs/promises";

export const BATCH_BYTES = 4 << 20;

export class BatchedWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inflight: Promise<void> | undefined;

  constructor(private readonly file: FileHandle) {}

  /** Queues a buffer; resolves at once unless a full batch must wait for the one in flight. */
  async add(chunk: Buffer): Promise<void> {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= BATCH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.inflight) await this.inflight;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (batch.length === 0) return;
    this.inflight = this.writeAll(batch);
    // Awaited by the next flush or finish; marked handled so a failure meanwhile (while the
    // next batch fills) is not an unhandled rejection.
    this.inflight.catch(() => undefined);
  }

  /** writev may write less than asked (a full disk, a signal): continue from where it stopped. */
  private async writeAll(batch: Buffer[]): Promise<void> {
    let rest = batch;
    while (rest.length > 0) {
      let { bytesWritten } = await this.file.writev(rest);
      if (bytesWritten === 0) throw new Error("write made no progress");
      while (rest.length > 0 && bytesWritten >= rest[0]!.length) {
        bytesWritten -= rest[0]!.length;
        rest = rest.slice(1);
      }
      if (rest.length > 0 && bytesWritten > 0)
        rest = [rest[0]!.subarray(bytesWritten), ...rest.slice(1)];
    }
  }

  /** Writes what is queued and waits for every write. */
  async finish(): Promise<void> {
    await this.flush();
    const last = this.inflight;
    this.inflight = undefined;
    await last;
  }
}
