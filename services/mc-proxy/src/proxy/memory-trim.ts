// Resident memory after connection churn: TLS buffers and per-connection state freed by closed
// connections stay in the malloc heap (glibc keeps freed pages resident), so after a flood an
// idle proxy would keep its peak. Every few seconds, when many client connections have closed
// since the last time, or some have and none is open any more, the heap's free pages are handed
// back to the kernel (the native addon's malloc_trim). Without the addon (io = "node") nothing
// is trimmed.
const EVERY_MS = 5_000;
const MIN_CLOSED = 256;

export class MemoryTrim {
  private closed = 0;
  private open = 0;
  /** Trims done (tests, logs). */
  trims = 0;
  private readonly timer: NodeJS.Timeout | null;

  constructor(private readonly trim: (() => boolean) | null) {
    this.timer = trim === null ? null : setInterval(() => this.tick(), EVERY_MS);
    this.timer?.unref();
  }

  /** A client connection was accepted. */
  noteOpened(): void {
    this.open++;
  }

  /** A client connection closed. */
  noteClosed(): void {
    this.open--;
    this.closed++;
  }

  private tick(): void {
    if (this.trim === null || this.closed === 0) return;
    if (this.closed < MIN_CLOSED && this.open > 0) return;
    this.closed = 0;
    this.trim();
    this.trims++;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }
}
