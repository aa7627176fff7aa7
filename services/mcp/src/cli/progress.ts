// Progress of a long transfer on stderr: bytes so far, at most a few lines a second and one at
// the end, so stdout stays the command's result (tables or --json).
const units = ["B", "KiB", "MiB", "GiB"];

export function humanBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

export interface Progress {
  add(bytes: number): void;
  done(): number;
}

export function progress(label: string, out: NodeJS.WritableStream = process.stderr): Progress {
  let total = 0;
  let last = 0;
  return {
    add(bytes) {
      total += bytes;
      const now = Date.now();
      if (now - last >= 500) {
        last = now;
        out.write(`${label}: ${humanBytes(total)}\n`);
      }
    },
    done() {
      out.write(`${label}: ${humanBytes(total)} done\n`);
      return total;
    },
  };
}

/** Passes the chunks through, counting them. */
export async function* counted<T extends Uint8Array>(
  src: AsyncIterable<T>,
  p: Progress,
): AsyncGenerator<T> {
  for await (const c of src) {
    p.add(c.byteLength);
    yield c;
  }
}
