// What the operator sees once everything is healthy: one table (service, URL, direct address,
// credentials), the first admin's password while it is still the generated one, and the exact
// commands, with the environment to export, to use the CLIs and get a token MCNS accepts.
import type { Layout } from "./layout.ts";
import type { Ports } from "./ports.ts";
import { webOrigin } from "./web-routes.ts";

export interface ReadyInfo {
  layout: Layout;
  ports: Ports;
  repoRoot: string;
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

function commands(i: ReadyInfo): string[] {
  const { layout: l, ports: p } = i;
  const stdin = i.admin ? ` < ${sh(i.admin.file)}` : "";
  return [
    `  cd ${sh(i.repoRoot)}   # the CLIs find the platform through the CLI profile`,
    `  npx mciasctl login admin${stdin} >/dev/null   # token for MCIAS, cached`,
    "  npx mciasctl account list",
    `  npx mciasctl login admin --service mcns${stdin} >/dev/null   # token MCNS accepts, cached`,
    "  npx mcnsctl zone list",
    "  npx mcproxyctl routes list",
    `  curl --cacert ${sh(l.caCert)} ${webOrigin("mcias", p)}/v1/health`,
    `  dig @127.0.0.1 -p ${p.mcnsDns} <name>`,
  ];
}

export function readyReport(i: ReadyInfo): string {
  const { layout: l, ports: p } = i;
  const secs = (i.startedMs / 1000).toFixed(1);
  const adminCred = i.admin ? `admin, password in ${i.admin.file}` : "admin (your password)";
  const rows = [
    ["SERVICE", "URL", "DIRECT (CLIs)", "CREDENTIALS"],
    ["MCIAS", `${webOrigin("mcias", p)}`, `http://127.0.0.1:${p.mciasHttp}`, adminCred],
    [
      "MCNS",
      `${webOrigin("mcns", p)}`,
      `http://127.0.0.1:${p.mcnsHttp}`,
      "MCIAS token for service mcns",
    ],
    ["", "", `dns 127.0.0.1:${p.mcnsDns} udp+tcp`, ""],
    [
      "MC-Proxy",
      `https://127.0.0.1:${p.web} (SNI)`,
      `unix:${l.proxy.socket}`,
      "the socket file (0660)",
    ],
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
    "",
    "Next: log in (tokens are cached per service) and talk to each service:",
    ...commands(i),
    "",
    `Stop: Ctrl-C or kill ${i.supervisorPid}. Start fresh: npm start -- --reset`,
    "",
  ].join("\n");
}
