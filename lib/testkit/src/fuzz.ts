// Seeded randomness for fuzz tests: MC_FUZZ_SEED replays a run (every fuzz test prints its seed
// in its failure messages); without it each run draws a fresh seed. One PRNG for the repository.
import { randomInt } from "node:crypto";

/** The seed of this run: MC_FUZZ_SEED, or a fresh random one. */
export function fuzzSeed(): number {
  const env = process.env.MC_FUZZ_SEED;
  if (env !== undefined && env !== "") {
    const n = Number(env);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`MC_FUZZ_SEED: not a seed: ${env}`);
    return n;
  }
  return randomInt(2 ** 31);
}

/** The hint every failure message of a fuzz test carries. */
export const replayHint = (seed: number): string => `replay with MC_FUZZ_SEED=${seed}`;

/** Deterministic PRNG (mulberry32): the same seed gives the same sequence. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, bytes, pick: <T>(xs: readonly T[]) => xs[int(xs.length)] as T };
}

export type Rng = ReturnType<typeof rng>;
