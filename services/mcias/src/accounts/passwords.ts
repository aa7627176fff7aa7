// Argon2id password hashing. All Argon2 work goes through a bounded pool: at most
// `max_concurrent` hashes run at once and at most `max_queue` wait; anything beyond that is
// refused with 429 + Retry-After so a password spray cannot starve the rest of the server.
import { AppError } from "@metacircular/mcdsl/errors";
import argon2 from "argon2";
import type { Argon2Config } from "../config.ts";

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
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly cfg: Argon2Config) {
    this.pool = new BoundedPool(cfg.max_concurrent, cfg.max_queue);
  }

  private get options() {
    return {
      type: argon2.argon2id,
      memoryCost: this.cfg.memory_kib,
      timeCost: this.cfg.time_cost,
      parallelism: this.cfg.parallelism,
    } as const;
  }

  hash(password: string): Promise<string> {
    return this.pool.run(() => argon2.hash(password, this.options));
  }

  async verify(hash: string, password: string): Promise<boolean> {
    if (password.length > MAX_PASSWORD_LENGTH) return false;
    return this.pool.run(async () => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    });
  }

  /** Burns the same Argon2id work as a real verify, for unknown users and accounts without a password. */
  async dummyVerify(password: string): Promise<false> {
    this.dummyHash ??= argon2.hash("dummy-password-never-matches", this.options);
    await this.verify(await this.dummyHash, password);
    return false;
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
