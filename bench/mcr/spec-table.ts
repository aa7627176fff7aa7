// The distribution-spec checks (services/mcr/test/helpers/spec) run against both registries of
// the benchmark, as a markdown table: every point, MCR's result, docker-registry's result with
// what it answered when it missed.
import { RegistryClient } from "@metacircular/mcr/testing/registry-client";
import { type CheckResult, runChecks, specChecks } from "@metacircular/mcr/testing/spec";

export interface SpecServer {
  url: string;
  ca: string;
  /** Token endpoint and service; MCR's own /v2/token when absent. */
  realm?: string;
  service?: string;
}

async function resultsOf(s: SpecServer, user: string, password: string): Promise<CheckResult[]> {
  const reg = new RegistryClient(
    s.url,
    s.ca,
    s.realm && s.service ? { realm: s.realm, service: s.service } : undefined,
  );
  const token = (...scopes: string[]) => reg.token(user, password, scopes);
  return runChecks({ name: s.url, reg, token }, specChecks);
}

export async function specTable(
  mcr: SpecServer,
  anchor: SpecServer,
  user: string,
  password: string,
): Promise<string[]> {
  const ours = await resultsOf(mcr, user, password);
  const theirs = await resultsOf(anchor, user, password);
  const cell = (r: CheckResult | undefined) =>
    r?.ok ? "pass" : `**fail**: ${(r?.detail ?? "").replaceAll("|", "\\|")}`;
  const missed = theirs.filter((r) => !r.ok).length;
  return [
    `Distribution-spec checks (\`services/mcr/test/helpers/spec\`, the same code against both; \`test/conformance.test.ts\` and \`test/differential.test.ts\` assert them): MCR passes ${ours.filter((r) => r.ok).length} of ${ours.length}, docker-registry ${theirs.length - missed} of ${theirs.length}.`,
    "",
    "| spec point | MCR | docker-registry |",
    "| --- | --- | --- |",
    ...ours.map((r, i) => `| ${r.point} | ${cell(r)} | ${cell(theirs[i])} |`),
  ];
}
