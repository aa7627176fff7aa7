// Argon2id password hashing. All Argon2 work goes through a bounded pool: at most
// `max_concurrent` hashes run at once and at most `max_queue` wait; anything beyond that is
// refused with 429 + Retry-After so a password spray cannot starve the rest of the server.
// The hashes run on worker threads at a lower CPU priority (see hash-worker.ts), so on a busy
// machine token validation on the event loop is scheduled ahead of password guessing.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Argon2Config } from "../config.ts";
import { HashWorkerPool } from "./hash-pool.ts";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

export function checkPasswordStrength(pw: string): void {
  if (typeof pw !== "string" || pw.length < MIN_PASSWORD_LENGTH)
    throw AppError.badRequest(
      "weak_password",
      `password must be at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  if (pw.length > MAX_PASSWORD_LENGTH)
    throw AppError.badRequest("invalid_password", "password is too long");
}

export class BoundedPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueue: number,
  ) {}

  get busy(): number {
    return this.running + this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) {
      if (this.waiting.length >= this.maxQueue)
        throw AppError.tooManyRequests(1, "server busy, retry shortly");
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export class PasswordHasher {
  readonly pool: BoundedPool;
  readonly workers: HashWorkerPool;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly cfg: Argon2Config) {
    this.pool = new BoundedPool(cfg.max_concurrent, cfg.max_queue);
    this.workers = new HashWorkerPool(cfg.max_concurrent, cfg.nice);
  }

  private get params() {
    return {
      memoryCost: this.cfg.memory_kib,
      timeCost: this.cfg.time_cost,
      parallelism: this.cfg.parallelism,
    };
  }

  private rawHash(password: string): Promise<string> {
    return this.workers.run({ op: "hash", password, ...this.params }) as Promise<string>;
  }

  hash(password: string): Promise<string> {
    return this.pool.run(() => this.rawHash(password));
  }

  async verify(hash: string, password: string): Promise<boolean> {
    if (password.length > MAX_PASSWORD_LENGTH) return false;
    return this.pool.run(async () => {
      try {
        return (await this.workers.run({ op: "verify", password, hash, ...this.params })) === true;
      } catch {
        return false;
      }
    });
  }

  /** Burns the same Argon2id work as a real verify, for unknown users and accounts without a password. */
  async dummyVerify(password: string): Promise<false> {
    this.dummyHash ??= this.pool.run(() => this.rawHash("dummy-password-never-matches"));
    await this.verify(await this.dummyHash, password);
    return false;
  }

  close(): Promise<void> {
    return this.workers.close();
  }

  /** True when the stored hash was made with weaker parameters than configured now. */
  needsRehash(hash: string): boolean {
    const m = /^\$argon2id\$v=\d+\$([^$]+)\$/.exec(hash);
    if (!m?.[1]) return true;
    const params = new Map(m[1].split(",").map((kv) => kv.split("=") as [string, string]));
    return (
      Number(params.get("m") ?? 0) < this.cfg.memory_kib ||
      Number(params.get("t") ?? 0) < this.cfg.time_cost ||
      Number(params.get("p") ?? 0) < this.cfg.parallelism
    );
  }
}
