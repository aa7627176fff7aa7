// What the operator sees once everything is healthy: one table (service, URL, direct address,
// credentials) with a row or more per service, the first admin's password while it is still the
// generated one, and the exact commands, with the environment to export, to use each service.
import type { PlatformContext, ReadyContext, ServiceDescriptor } from "./descriptor.ts";

export interface ReadyInfo {
  services: readonly ServiceDescriptor[];
  /** Optional services not running, each with why and how to enable it. */
  skipped: Array<{ name: string; reason: string }>;
  context: PlatformContext;
  profilePath: string;
  /** The generated password while it still works, with its file; undefined once changed. */
  admin: { password: string; file: string } | undefined;
  supervisorPid: number;
  startedMs: number;
}

/** Single-quotes a shell word when it needs it. */
export function sh(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`.trimEnd());
}

export function readyReport(i: ReadyInfo): string {
  const l = i.context.layout;
  const c: ReadyContext = {
    ...i.context,
    admin: i.admin,
    passwordStdin: i.admin ? ` < ${sh(i.admin.file)}` : "",
    sh,
  };
  const secs = (i.startedMs / 1000).toFixed(1);
  const rows = [
    ["SERVICE", "URL", "DIRECT (CLIs)", "CREDENTIALS"],
    ...i.services.flatMap((s) => s.ready(c).map((r) => [r.title, r.url, r.direct, r.credentials])),
  ];
  const password = i.admin
    ? `  First admin: admin / ${i.admin.password}   (${i.admin.file}, 0600; shown on every start until you change it)`
    : "  First admin: admin   (no generated password on file: it was changed, or this data dir is older than the file; npm start -- --reset starts afresh)";
  return [
    "",
    `Metacircular is ready (${secs} s; supervisor pid ${i.supervisorPid}; data in ${l.root})`,
    "",
    ...table(rows),
    "",
    password,
    `  Local CA:    ${l.caCert}   (trust it in a browser, or curl --cacert, to open the URLs)`,
    `  CLI profile: ${i.profilePath}`,
    `  Logs:        ${l.logsDir}/<service>.log`,
    ...i.skipped.map((k) => `  Skipped:     ${k.name}: ${k.reason}`),
    "",
    "Next: log in (tokens are cached per service) and talk to each service:",
    `  cd ${sh(c.repoRoot)}   # the CLIs find the platform through the CLI profile`,
    ...i.services.flatMap((s) => s.nextSteps?.(c) ?? []),
    "",
    `Stop: Ctrl-C or kill ${i.supervisorPid}. Start fresh: npm start -- --reset`,
    "",
  ].join("\n");
}
