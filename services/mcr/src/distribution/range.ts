// arch: parser
// Request ranges: "bytes=a-b", "bytes=a-" and "bytes=-n" over a blob of known size (one range;
// a list of several is served whole, as RFC 9110 allows), and the upload Content-Range
// "a-b" (with or without a "bytes " / "bytes=" prefix).

export type RangeResult =
  | { kind: "whole" }
  | { kind: "partial"; start: number; end: number }
  | { kind: "unsatisfiable" };

const NUM = /^\d{1,15}$/;

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: "whole" };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return { kind: "whole" };
  const [, a, b] = m as unknown as [string, string, string];
  if (a === "" && b === "") return { kind: "whole" };
  if ((a && !NUM.test(a)) || (b && !NUM.test(b))) return { kind: "unsatisfiable" };
  if (a === "") {
    const n = Number(b);
    if (n === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(size - n, 0), end: size - 1 };
  }
  const start = Number(a);
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== "" && Number(b) < start) return { kind: "whole" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end };
}

/** An upload chunk's Content-Range; undefined when absent, null when malformed. */
export function parseContentRange(
  header: string | undefined,
): { start: number; end: number } | null | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:bytes[ =])?(\d{1,15})-(\d{1,15})(?:\/(?:\d{1,15}|\*))?$/.exec(header.trim());
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return end < start ? null : { start, end };
}
