/** Encrypted key/value storage of one engine mount (paths are relative to the mount). */
export interface MountStore {
  get(path: string): Buffer | undefined;
  put(path: string, value: Buffer): void;
  delete(path: string): void;
  list(prefix: string): string[];
}
