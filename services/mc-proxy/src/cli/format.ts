// Human-readable output for mcproxyctl.
import {
  type Firewall,
  type Listener,
  type Route,
  RouteMode,
} from "@metacircular/proto/mcproxy/v1/admin_pb";

export function table(rows: string[][]): string {
  if (rows.length === 0) return "";
  const widths = (rows[0] as string[]).map((_, i) =>
    Math.max(...rows.map((r) => (r[i] ?? "").length)),
  );
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function routesTable(routes: Route[]): string {
  if (routes.length === 0) return "no routes";
  return table([
    ["LISTENER", "HOSTNAME", "MODE", "BACKEND", "OPTIONS"],
    ...routes.map((r) => [
      r.listener,
      r.hostname,
      r.mode === RouteMode.L4 ? "l4" : "l7",
      r.backend,
      [
        r.backendTls ? "backend-tls" : "",
        r.backendH2 ? "backend-h2" : "",
        r.sendProxy ? `proxy-v${r.sendProxy}` : "",
        r.mode === RouteMode.L7 ? `tls>=${r.minTls}` : "",
        r.healthPath ? `health=${r.healthPath}` : "",
      ]
        .filter(Boolean)
        .join(","),
    ]),
  ]);
}

export function listenersTable(ls: Listener[]): string {
  if (ls.length === 0) return "no listeners";
  return table([
    ["NAME", "ADDR", "BOUND", "ROUTES", "PROXY-PROTOCOL"],
    ...ls.map((l) => [
      l.name,
      l.addr,
      l.boundAddr,
      String(l.routeCount),
      l.proxyProtocol ? `yes (${l.trustedProxies.join(",")})` : "no",
    ]),
  ]);
}

export function firewallText(f: Firewall | undefined): string {
  const list = (xs: string[] | undefined) => (xs && xs.length > 0 ? xs.join(", ") : "-");
  const rate = (r: { rate: number; burst: number } | undefined) =>
    r ? `${r.rate}/s burst ${r.burst}` : "off";
  return [
    `allow:             ${list(f?.allow)}`,
    `deny:              ${list(f?.deny)}`,
    `blocked countries: ${list(f?.blockedCountries)}`,
    `geoip database:    ${f?.geoipDb || "-"}`,
    `connection rate:   ${rate(f?.connRate)}`,
    `request rate:      ${rate(f?.requestRate)}`,
  ].join("\n");
}
