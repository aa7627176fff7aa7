// Lint findings as a table (the lint page and the candidate editor).
import { Badge, DataTable } from "@metacircular/mcdsl/web";
import type { LintFinding } from "../policy/types.ts";

const TONE = { error: "bad", warning: "warn", info: "neutral" } as const;

export function FindingsTable(p: { id: string; findings: readonly LintFinding[] }) {
  return (
    <DataTable
      id={p.id}
      rows={p.findings}
      empty="No findings."
      columns={[
        { label: "Severity", cell: (f) => <Badge tone={TONE[f.severity]}>{f.severity}</Badge> },
        { label: "Kind", cell: (f) => f.kind.replace("_", " ") },
        { label: "Rule", kind: "num", cell: (f) => `#${f.rule}` },
        { label: "Finding", kind: "break", cell: (f) => f.message },
      ]}
    />
  );
}
