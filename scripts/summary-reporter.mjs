// A node:test reporter that writes only the final counts, as JSON, for scripts/test.ts.
// Plain JavaScript: Node loads reporters before the tsx loader is active.
export default async function* summaryReporter(source) {
  const counts = { pass: 0, fail: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    // Count leaf tests only: suites report their own pass/fail too.
    if (event.data.details?.type === "suite") continue;
    if (event.type === "test:fail") counts.fail++;
    else if (event.data.skip || event.data.todo) counts.skipped++;
    else counts.pass++;
  }
  yield JSON.stringify(counts);
}
