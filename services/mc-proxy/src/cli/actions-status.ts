// mcproxyctl status, export and seed (loaded when one of them runs).
import { readFileSync, writeFileSync } from "node:fs";
import { GetStatusResponseSchema } from "@metacircular/proto/mcproxy/v1/admin_pb";
import type { Command } from "commander";
import { client, out, say } from "./context.ts";
import { listenersTable } from "./format.ts";

export async function status(this: Command): Promise<void> {
  const s = await client(this).getStatus({});
  out(this, GetStatusResponseSchema, s, () =>
    [
      `mc-proxy ${s.version}  workers=${s.workers}  routes=${s.routeCount}  connections=${s.activeConnections}`,
      "",
      listenersTable(s.listeners),
    ].join("\n"),
  );
}

export async function exportToml(this: Command, o: { out?: string }): Promise<void> {
  const r = await client(this).exportConfig({});
  if (o.out) writeFileSync(o.out, r.toml);
  else process.stdout.write(r.toml);
}

export async function seed(this: Command, file: string): Promise<void> {
  const r = await client(this).seedConfig({ toml: readFileSync(file, "utf8") });
  say(
    this,
    { listeners: r.listeners, routes: r.routes },
    `seeded ${r.listeners} listeners, ${r.routes} routes`,
  );
}
