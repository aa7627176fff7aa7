// REST API: /v1/zones and /v1/zones/{zone}/records. Same semantics as the gRPC services; both
// call the operations in records/api-ops.ts.

import {
  type AppEnv,
  accessMap,
  createApp,
  readJson,
  requireIdentity,
  type TokenValidator,
} from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import type { Hono } from "hono";
import { z } from "zod";
import type { ApiOps } from "../records/api-ops.ts";
import { recordId } from "../records/validate.ts";
import { restAccess } from "./access.ts";

const recordBody = z.strictObject({
  name: z.string(),
  type: z.string(),
  ttl: z.number().int().optional(),
  value: z.string(),
});

const zoneBody = z.strictObject({
  name: z.string(),
  primary_ns: z.string().optional(),
  admin_email: z.string().optional(),
  refresh: z.number().int().optional(),
  retry: z.number().int().optional(),
  expire: z.number().int().optional(),
  minimum: z.number().int().optional(),
  ttl: z.number().int().optional(),
});
const zoneUpdate = zoneBody.omit({ name: true });

export interface RestOptions {
  ops: ApiOps;
  validator: TokenValidator;
  logger: Logger;
  version: string;
  metrics: () => Promise<{ contentType: string; body: string }>;
}

export function buildRestApp(o: RestOptions): Hono<AppEnv> {
  const app = createApp({ service: "mcns", version: o.version, logger: o.logger });
  app.use(accessMap(restAccess, o.validator));
  const { ops } = o;

  app.get("/metrics", async (c) => {
    const m = await o.metrics();
    return c.body(m.body, 200, { "Content-Type": m.contentType });
  });

  app.get("/v1/zones", (c) => c.json({ zones: ops.listZones(requireIdentity(c)) }));
  app.post("/v1/zones", async (c) => {
    const body = await readJson(c, zoneBody);
    return c.json(ops.createZone(requireIdentity(c), body), 201);
  });
  app.get("/v1/zones/:zone", (c) => c.json(ops.getZone(requireIdentity(c), c.req.param("zone"))));
  app.put("/v1/zones/:zone", async (c) => {
    const body = await readJson(c, zoneUpdate);
    return c.json(ops.updateZone(requireIdentity(c), c.req.param("zone"), body));
  });
  app.delete("/v1/zones/:zone", (c) => {
    ops.deleteZone(requireIdentity(c), c.req.param("zone"));
    return c.body(null, 204);
  });
  app.get("/v1/zones/:zone/export", (c) =>
    c.body(ops.exportZone(requireIdentity(c), c.req.param("zone")), 200, {
      "Content-Type": "text/dns; charset=utf-8",
    }),
  );
  app.post("/v1/zones/:zone/import", async (c) => {
    const text = await c.req.text();
    const serial = c.req.query("serial");
    const r = ops.importZone(requireIdentity(c), c.req.param("zone"), text, { serial });
    return c.json({ imported: r.imported, serial: r.serial });
  });

  app.get("/v1/zones/:zone/records", (c) =>
    c.json({
      records: ops.listRecords(requireIdentity(c), c.req.param("zone"), {
        name: c.req.query("name"),
        type: c.req.query("type"),
      }),
    }),
  );
  app.post("/v1/zones/:zone/records", async (c) => {
    const body = await readJson(c, recordBody);
    return c.json(ops.createRecord(requireIdentity(c), c.req.param("zone"), body), 201);
  });
  app.get("/v1/zones/:zone/records/:id", (c) =>
    c.json(ops.getRecord(requireIdentity(c), c.req.param("zone"), recordId(c.req.param("id")))),
  );
  app.put("/v1/zones/:zone/records/:id", async (c) => {
    const body = await readJson(c, recordBody);
    return c.json(
      ops.updateRecord(requireIdentity(c), c.req.param("zone"), recordId(c.req.param("id")), body),
    );
  });
  app.delete("/v1/zones/:zone/records/:id", (c) => {
    ops.deleteRecord(requireIdentity(c), c.req.param("zone"), recordId(c.req.param("id")));
    return c.body(null, 204);
  });
  app.get("/v1/audit", (c) => {
    const limit = c.req.query("limit");
    return c.json({ entries: ops.audit(requireIdentity(c), limit ? Number(limit) : undefined) });
  });
  return app;
}
