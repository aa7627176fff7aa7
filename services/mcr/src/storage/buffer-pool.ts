// Fixed-size read buffers handed back once their bytes are gone. Blob downloads read the file
// into these instead of a fresh buffer per read: a fresh 1 MiB buffer is a new mmap whose pages
// fault in on the first read, and 200 MiB of short-lived external memory per pull drives V8 into
// repeated full collections (together most of the server's CPU per pull, measured in
// bench/results/mcr.md). A buffer that is not given back (its write failed) is left to the GC.

export class BufferPool {
  private readonly idle: Buffer[] = [];

  /** `size` bytes a buffer; at most `keep` idle buffers are held between downloads. */
  constructor(
    readonly size: number,
    readonly keep: number,
  ) {}

  take(): Buffer {
    return this.idle.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  give(buf: Buffer): void {
    if (buf.length === this.size && this.idle.length < this.keep) this.idle.push(buf);
  }

  /** Idle buffers held (for tests). */
  get idleCount(): number {
    return this.idle.length;
  }
}
