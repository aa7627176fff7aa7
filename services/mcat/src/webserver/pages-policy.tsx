// The live policy, the version history (with rollback to any earlier version), one version's
// rules, and the lint report of the live rules.
import { CsrfField, DataTable, Facts, Section } from "@metacircular/mcdsl/web";
import type { LintAnswer, LiveRules, PolicyVersion, VersionList } from "../policy/types.ts";
import { FindingsTable } from "./findings-table.tsx";
import { frame, type PageContext } from "./frame.tsx";
import { EffectBadge, RulesTable } from "./rules-table.tsx";

export function homePage(ctx: PageContext, live: LiveRules, current: number) {
  return frame(
    ctx,
    "Login policy",
    <>
      <Facts
        items={[
          { label: "Live version", value: String(current), id: "live-version" },
          { label: "Default", value: <EffectBadge effect={live.default} /> },
          { label: "Rules", value: String(live.rules.length) },
        ]}
      />
      <Section id="live" title="Rules in evaluation order">
        <RulesTable id="live-rules" rules={live.rules} />
      </Section>
    </>,
    <a href="/candidate">Rehearse a change</a>,
  );
}

function Rollback(p: { csrf: string; v: PolicyVersion; current: number }) {
  if (p.v.version === p.current) return <span>live</span>;
  return (
    <form method="post" action={`/versions/${p.v.version}/rollback`} class="mcat-inline">
      <CsrfField token={p.csrf} />
      <button type="submit">Roll back to v{p.v.version}</button>
    </form>
  );
}

export function versionsPage(ctx: PageContext, list: VersionList) {
  return frame(
    ctx,
    "Versions",
    <DataTable
      id="versions"
      rows={list.versions}
      empty="No versions."
      columns={[
        {
          label: "Version",
          kind: "num",
          cell: (v) => <a href={`/versions/${v.version}`}>v{v.version}</a>,
        },
        { label: "When", kind: "nowrap", cell: (v) => v.created_at.replace("T", " ").slice(0, 19) },
        {
          label: "Kind",
          cell: (v) => (v.restored_from ? `rollback to v${v.restored_from}` : v.kind),
        },
        { label: "By", cell: (v) => v.actor },
        { label: "Comment", kind: "break", cell: (v) => v.comment },
        { label: "Rules", kind: "num", cell: (v) => String(v.rules.length) },
        { label: "", cell: (v) => <Rollback csrf={ctx.csrf} v={v} current={list.current} /> },
      ]}
    />,
  );
}

export function versionPage(ctx: PageContext, v: PolicyVersion, current: number) {
  return frame(
    ctx,
    `Version ${v.version}`,
    <>
      <Facts
        items={[
          { label: "Made", value: v.created_at.replace("T", " ").slice(0, 19) },
          { label: "By", value: v.actor },
          { label: "Kind", value: v.kind },
          { label: "Comment", value: v.comment || "none" },
        ]}
      />
      <RulesTable id="version-rules" rules={v.rules} />
    </>,
    <Rollback csrf={ctx.csrf} v={v} current={current} />,
  );
}

export function lintPage(ctx: PageContext, lint: LintAnswer) {
  return frame(
    ctx,
    "Lint",
    <Section id="lint" title={`Findings for the live rules (version ${lint.version ?? "?"})`}>
      <FindingsTable id="findings" findings={lint.findings} />
    </Section>,
  );
}
