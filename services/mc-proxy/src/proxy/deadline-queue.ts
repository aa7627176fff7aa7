// Many deadlines of one fixed duration (e.g. the TLS handshake timeout of every new connection)
// on a single timer instead of one timer per item. Deadlines are added in time order, so the
// queue is a FIFO: adding and cancelling are O(1), and the timer only ever waits for the head.
// Expiry is coarse: an item may expire up to `slackMs` after its deadline, never before it.

export interface Deadline<T> {
  /** null once cancelled or expired */
  item: T | null;
  readonly due: number;
}

export interface DeadlineQueueOptions {
  /** Extra delay allowed so one timer run can expire a batch (default: ms / 20, at most 250). */
  slackMs?: number;
  /** Monotonic clock in ms (tests pass a fake one). */
  now?: () => number;
}

export class DeadlineQueue<T> {
  private q: (Deadline<T> | undefined)[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly slack: number;
  private readonly now: () => number;

  constructor(
    readonly ms: number,
    private readonly expire: (item: T) => void,
    o: DeadlineQueueOptions = {},
  ) {
    this.slack = o.slackMs ?? Math.min(250, Math.floor(ms / 20));
    this.now = o.now ?? (() => performance.now());
  }

  /** Start the clock for `item`; expire(item) runs after `ms` unless cancelled first. */
  add(item: T): Deadline<T> {
    const d: Deadline<T> = { item, due: this.now() + this.ms };
    this.q.push(d);
    if (this.timer === null) this.arm(d.due);
    return d;
  }

  cancel(d: Deadline<T>): void {
    d.item = null;
  }

  /** Items still waiting (cancelled ones are dropped lazily and may be counted until their deadline). */
  get size(): number {
    return this.q.length - this.head;
  }

  /** Expire everything that is due now; returns how many items expired. */
  run(): number {
    const t = this.now();
    let n = 0;
    while (this.head < this.q.length) {
      const d = this.q[this.head] as Deadline<T>;
      if (d.due > t) break;
      this.q[this.head++] = undefined;
      const item = d.item;
      if (item === null) continue;
      d.item = null;
      n++;
      this.expire(item);
    }
    if (this.head === this.q.length) {
      this.q = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.q.length) {
      this.q = this.q.slice(this.head);
      this.head = 0;
    }
    return n;
  }

  /** Stop the timer; pending items never expire. */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.q = [];
    this.head = 0;
  }

  private arm(due: number): void {
    const wait = Math.max(0, due - this.now()) + this.slack;
    this.timer = setTimeout(this.onTimer, wait);
    this.timer.unref();
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.run();
    const next = this.q[this.head];
    if (next !== undefined) this.arm(next.due);
  };
}
