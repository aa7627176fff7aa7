// The key-wrapping key: Argon2id over the unseal secret (a password, or the secret the Shamir
// shares reconstruct). Runs on the libuv thread pool, never on the event loop.

import { hashRaw } from "@node-rs/argon2";
import { z } from "zod";

export const kdfParams = z.strictObject({
  memory_kib: z.number().int().min(8).max(4_194_304),
  time_cost: z.number().int().min(1).max(100),
  parallelism: z.number().int().min(1).max(16),
});
export type KdfParams = z.infer<typeof kdfParams>;

const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id (a const enum, not importable)

export async function deriveKwk(secret: Buffer, salt: Buffer, p: KdfParams): Promise<Buffer> {
  return hashRaw(secret, {
    algorithm: ARGON2ID,
    salt,
    memoryCost: p.memory_kib,
    timeCost: p.time_cost,
    parallelism: p.parallelism,
    outputLen: 32,
  });
}
