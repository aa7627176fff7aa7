// Host names as routes and SNI lookups compare them: lower-case, without a trailing dot.
export function normalizeHostname(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}
