// Aligned plain-text tables for human CLI output.

export function formatTable(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (cols.length === 0) return "";
  const cell = (v: unknown) =>
    v === undefined || v === null
      ? "-"
      : v instanceof Date
        ? v.toISOString()
        : typeof v === "object"
          ? JSON.stringify(v)
          : String(v);
  const grid = [cols.map((c) => c.toUpperCase()), ...rows.map((r) => cols.map((c) => cell(r[c])))];
  const widths = cols.map((_, i) => Math.max(...grid.map((row) => row[i]!.length)));
  return grid
    .map((row) => row.map((v, i) => (i === row.length - 1 ? v : v.padEnd(widths[i]!))).join("  "))
    .join("\n");
}
