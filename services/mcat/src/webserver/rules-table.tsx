// A rule set as a table (cards on a phone): the live policy, a version, a trace's steps.
import { Badge, DataTable } from "@metacircular/mcdsl/web";
import type { Effect, Rule } from "../policy/types.ts";

export function EffectBadge(p: { effect: Effect }) {
  return <Badge tone={p.effect === "allow" ? "ok" : "bad"}>{p.effect}</Badge>;
}

const list = (xs: string[]) => (xs.length ? xs.join(", ") : "any");

export function RulesTable(p: { id: string; rules: readonly Rule[] }) {
  return (
    <DataTable
      id={p.id}
      rows={p.rules}
      empty="No rules: the default decides every login."
      columns={[
        { label: "Rule", kind: "num", cell: (r) => `#${r.id}` },
        { label: "Priority", kind: "num", cell: (r) => String(r.priority) },
        { label: "Effect", cell: (r) => <EffectBadge effect={r.effect} /> },
        { label: "Roles", cell: (r) => list(r.roles) },
        { label: "Account types", cell: (r) => list(r.account_types) },
        { label: "Services", kind: "break", cell: (r) => list(r.service_names) },
        {
          label: "Tags (all)",
          kind: "break",
          cell: (r) => (r.tags.length ? r.tags.join(", ") : "none"),
        },
        { label: "Description", kind: "break", cell: (r) => r.description },
      ]}
    />
  );
}
