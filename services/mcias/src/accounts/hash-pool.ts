// A fixed set of Argon2id worker threads (one per allowed concurrent hash), started on first
// use so an idle server does not carry them. Jobs go to an idle worker; admission (how many may
// run or wait) is the BoundedPool's business, so this pool is never asked for more than it has.
// A worker that dies is replaced and its job fails.
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { PACKAGE_ROOT } from "../package-root.ts";

/** One job for hash-worker.mjs. */
export interface HashJob {
  id: number;
  op: "hash" | "verify";
  password: string;
  hash?: string;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

interface HashReply {
  id: number;
  ok: boolean;
  value?: string | boolean;
  error?: string;
}

const WORKER_PATH = join(PACKAGE_ROOT, "src/accounts/hash-worker.mjs");

interface Slot {
  worker: Worker;
  busy?: { resolve(v: string | boolean): void; reject(e: Error): void };
  tid?: number;
}

export class HashWorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly nice = 10,
  ) {}

  private spawn(): Slot {
    // Plain JavaScript needs no tsx loader (execArgv: []); the small heap limits keep each
    // worker to a few MB of its own (Argon2's memory is native, outside the JS heap).
    const worker = new Worker(WORKER_PATH, {
      workerData: { nice: this.nice },
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    worker.unref();
    const slot: Slot = { worker };
    worker.on("message", (m: HashReply & { ready?: boolean; tid?: number }) => {
      if (m.ready) {
        if (m.tid !== undefined) slot.tid = m.tid;
        return;
      }
      const pending = slot.busy;
      slot.busy = undefined;
      if (!pending) return;
      if (m.ok) pending.resolve(m.value as string | boolean);
      else pending.reject(new Error(m.error ?? "argon2 failed"));
    });
    worker.on("error", (e) => this.replace(slot, e));
    worker.on("exit", () => this.replace(slot, new Error("argon2 worker exited")));
    return slot;
  }

  private replace(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    slot.busy?.reject(err);
    slot.busy = undefined;
    if (this.closed) return;
    this.slots[i] = this.spawn();
  }

  /** Thread ids of the workers (Linux), for tests and diagnostics. */
  get threadIds(): number[] {
    return this.slots.flatMap((s) => (s.tid === undefined ? [] : [s.tid]));
  }

  run(job: Omit<HashJob, "id">): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new Error("argon2 pool is closed"));
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    const slot = this.slots.find((s) => !s.busy);
    if (!slot) return Promise.reject(new Error("no idle argon2 worker"));
    return new Promise((resolve, reject) => {
      slot.busy = { resolve, reject };
      slot.worker.postMessage({ ...job, id: this.nextId++ });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
