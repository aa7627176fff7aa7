// listArchive: the entries of a tar.zst without extracting anything (for verification tooling).

import type { TarEntry } from "./tar-format.ts";
import { readTar } from "./tar-read.ts";
import { decompressFrom, settleDecompress } from "./zstd.ts";

export async function listArchive(file: string): Promise<TarEntry[]> {
  const z = decompressFrom(file);
  const out: TarEntry[] = [];
  const read = (async () => {
    for await (const e of readTar(z.stdout)) {
      const { data: _data, ...entry } = e;
      out.push(entry);
    }
    z.stdout.resume();
  })();
  try {
    await Promise.all([read, z.done]);
  } catch (e) {
    throw await settleDecompress(z, e);
  }
  return out;
}
