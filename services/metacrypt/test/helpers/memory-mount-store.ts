// An in-memory MountStore for engine tests: the barrier's contract without its encryption, so an
// engine test sees exactly the bytes an engine writes (tests assert no plaintext is stored).
import type { MountStore } from "../../src/barrier/mount-store.ts";

export class MemoryMountStore implements MountStore {
  readonly entries = new Map<string, Buffer>();

  get(path: string): Buffer | undefined {
    const v = this.entries.get(path);
    return v === undefined ? undefined : Buffer.from(v);
  }

  put(path: string, value: Buffer): void {
    this.entries.set(path, Buffer.from(value));
  }

  delete(path: string): void {
    this.entries.delete(path);
  }

  list(prefix: string): string[] {
    return [...this.entries.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  /** True when any stored value contains `needle` (to prove plaintext is never written). */
  contains(needle: Buffer): boolean {
    return [...this.entries.values()].some((v) => v.includes(needle));
  }
}
