// mcnsctl: manage MCNS zones and records over the REST API. Human output by default, --json for
// scripts. Server and token: flag > MCNS_SERVER/MCNS_TOKEN > the CLI profile and the token that
// `mciasctl login --service mcns` cached for the profile's MCIAS.

import { readFileSync } from "node:fs";
import {
  addServiceConnection,
  callService,
  createCli,
  formatTable,
  loadProfile,
  printResult,
  type ServiceConnection,
} from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import type { RecordView, ZoneView } from "../records/dns-store.ts";
import { VERSION } from "../version.ts";

const profile = loadProfile();

/** flag > environment > CLI profile (written by `npm start`) > built-in default. */
const CONNECTION: ServiceConnection = {
  service: "mcns",
  label: "MCNS API",
  envPrefix: "MCNS",
  fromProfile: (p) => p.mcns.url,
  fallback: "http://127.0.0.1:8443",
};

export const program = createCli({
  name: "mcnsctl",
  description: "Manage MCNS zones and records",
  version: VERSION,
});
addServiceConnection(program, CONNECTION, profile);

/** The REST API as this command's settings reach it: `request(method, path, body?)`. */
function api(cmd: Command) {
  return {
    request: (method: string, path: string, body?: unknown): Promise<unknown> =>
      callService(cmd, CONNECTION, profile, { method, path, body }),
  };
}

const zoneTable = (zs: ZoneView[]) =>
  formatTable(zs as unknown as Record<string, unknown>[], [
    "name",
    "serial",
    "primary_ns",
    "admin_email",
    "ttl",
    "minimum",
  ]);
const recordTable = (rs: RecordView[]) =>
  formatTable(rs as unknown as Record<string, unknown>[], ["id", "name", "type", "ttl", "value"]);
const int = (v: string) => {
  if (!/^\d+$/.test(v)) throw new Error(`not a number: ${v}`);
  return Number(v);
};

function zoneParams(o: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o.primaryNs) out.primary_ns = o.primaryNs;
  if (o.adminEmail) out.admin_email = o.adminEmail;
  for (const k of ["refresh", "retry", "expire", "minimum", "ttl"])
    if (o[k] !== undefined) out[k] = int(o[k]!);
  return out;
}

const zone = program.command("zone").description("zones (mutations need the admin role)");
const withSoa = (c: Command) =>
  c
    .option("--primary-ns <name>")
    .option("--admin-email <email>")
    .option("--refresh <s>")
    .option("--retry <s>")
    .option("--expire <s>")
    .option("--minimum <s>", "negative-caching TTL")
    .option("--ttl <s>", "SOA TTL");

zone.command("list").action(async (_o, cmd: Command) => {
  const r = (await api(cmd).request("GET", "/v1/zones")) as { zones: ZoneView[] };
  printResult(cmd, r.zones, zoneTable);
});
zone.command("get <zone>").action(async (z: string, _o, cmd: Command) => {
  printResult(
    cmd,
    (await api(cmd).request("GET", `/v1/zones/${encodeURIComponent(z)}`)) as ZoneView,
    (v) => zoneTable([v]),
  );
});
withSoa(zone.command("create <zone>")).action(async (z: string, o, cmd: Command) => {
  const v = (await api(cmd).request("POST", "/v1/zones", {
    name: z,
    ...zoneParams(o),
  })) as ZoneView;
  printResult(cmd, v, (x) => `created zone ${x.name} (serial ${x.serial})`);
});
withSoa(zone.command("update <zone>")).action(async (z: string, o, cmd: Command) => {
  const v = (await api(cmd).request(
    "PUT",
    `/v1/zones/${encodeURIComponent(z)}`,
    zoneParams(o),
  )) as ZoneView;
  printResult(cmd, v, (x) => `updated zone ${x.name} (serial ${x.serial})`);
});
zone.command("delete <zone>").action(async (z: string, _o, cmd: Command) => {
  await api(cmd).request("DELETE", `/v1/zones/${encodeURIComponent(z)}`);
  printResult(cmd, { deleted: z }, () => `deleted zone ${z}`);
});
zone
  .command("export <zone>")
  .description("print the zone as an RFC 1035 master file")
  .action(async (z: string, _o, cmd: Command) => {
    const text = (await api(cmd).request(
      "GET",
      `/v1/zones/${encodeURIComponent(z)}/export`,
    )) as string;
    printResult(cmd, { zone: z, text }, (x) => x.text);
  });
zone
  .command("import <zone> <file>")
  .description("replace the zone's records from a master file (all or nothing; keeps its serial)")
  .option("--increment-serial", "ignore the file's serial: set one above the zone's current one")
  .action(async (z: string, file: string, o: { incrementSerial?: boolean }, cmd: Command) => {
    const mode = o.incrementSerial ? "increment" : "file";
    const r = (await api(cmd).request(
      "POST",
      `/v1/zones/${encodeURIComponent(z)}/import?serial=${mode}`,
      readFileSync(file, "utf8"),
    )) as { imported: number; serial: number };
    printResult(cmd, r, (x) => `imported ${x.imported} records into ${z} (serial ${x.serial})`);
  });

const record = program.command("record").description("records in a zone");
record
  .command("list <zone>")
  .option("--name <name>")
  .option("--type <type>")
  .action(async (z: string, o: { name?: string; type?: string }, cmd: Command) => {
    const q = new URLSearchParams();
    if (o.name) q.set("name", o.name);
    if (o.type) q.set("type", o.type);
    const qs = q.size ? `?${q}` : "";
    const r = (await api(cmd).request(
      "GET",
      `/v1/zones/${encodeURIComponent(z)}/records${qs}`,
    )) as { records: RecordView[] };
    printResult(cmd, r.records, recordTable);
  });
record.command("get <zone> <id>").action(async (z: string, id: string, _o, cmd: Command) => {
  const r = (await api(cmd).request(
    "GET",
    `/v1/zones/${encodeURIComponent(z)}/records/${int(id)}`,
  )) as RecordView;
  printResult(cmd, r, (x) => recordTable([x]));
});
record
  .command("add <zone> <name> <type> <value...>")
  .option("--ttl <seconds>")
  .action(
    async (
      z: string,
      name: string,
      type: string,
      value: string[],
      o: { ttl?: string },
      cmd: Command,
    ) => {
      const body = { name, type, value: value.join(" "), ...(o.ttl ? { ttl: int(o.ttl) } : {}) };
      const r = (await api(cmd).request(
        "POST",
        `/v1/zones/${encodeURIComponent(z)}/records`,
        body,
      )) as RecordView;
      printResult(cmd, r, (x) => `added record ${x.id}: ${x.fqdn} ${x.ttl} ${x.type} ${x.value}`);
    },
  );
record
  .command("update <zone> <id> <name> <type> <value...>")
  .option("--ttl <seconds>")
  .action(
    async (
      z: string,
      id: string,
      name: string,
      type: string,
      value: string[],
      o: { ttl?: string },
      cmd: Command,
    ) => {
      const body = { name, type, value: value.join(" "), ...(o.ttl ? { ttl: int(o.ttl) } : {}) };
      const r = (await api(cmd).request(
        "PUT",
        `/v1/zones/${encodeURIComponent(z)}/records/${int(id)}`,
        body,
      )) as RecordView;
      printResult(cmd, r, (x) => `updated record ${x.id}: ${x.fqdn} ${x.ttl} ${x.type} ${x.value}`);
    },
  );
record.command("delete <zone> <id>").action(async (z: string, id: string, _o, cmd: Command) => {
  await api(cmd).request("DELETE", `/v1/zones/${encodeURIComponent(z)}/records/${int(id)}`);
  printResult(cmd, { deleted: int(id) }, () => `deleted record ${id}`);
});

program
  .command("audit")
  .description("recent changes (admin)")
  .option("--limit <n>", "entries", "50")
  .action(async (o: { limit: string }, cmd: Command) => {
    const r = (await api(cmd).request("GET", `/v1/audit?limit=${int(o.limit)}`)) as {
      entries: Record<string, unknown>[];
    };
    printResult(cmd, r.entries, (es) =>
      formatTable(es, ["at", "actor", "action", "zone", "detail"]),
    );
  });
