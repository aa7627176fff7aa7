// REST API. Same semantics as the gRPC services: both call service/ops.ts.

import { AppError } from "@metacircular/mcdsl/errors";
import {
  type AppEnv,
  accessMap,
  createApp,
  readBodyBytes,
  readJson,
  requireIdentity,
  type TokenValidator,
} from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import type { Hono } from "hono";
import { type AcmeDeps, acmeRoutes } from "../acme/index.ts";
import { ruleSchema } from "../policy/rules.ts";
import type { MetacryptOps } from "../service/ops.ts";
import {
  engineBody,
  explainBody,
  hostCertBody,
  initBody,
  mountBody,
  toExplain,
  toInit,
  toUnseal,
  unsealBody,
} from "../service/requests.ts";
import { installWeb, type WebOptions } from "../webserver/install.ts";
import { restAccess } from "./access.ts";
import { clientAddress } from "./client-address.ts";

export interface RestOptions {
  ops: MetacryptOps;
  validator: TokenValidator;
  logger: Logger;
  version: string;
  /** The web UI on the same listener; absent = API only. */
  web?: WebOptions | undefined;
  /** The ACME server, when [acme] enabled = true. */
  acme?: AcmeDeps | undefined;
}

export function buildRestApp(o: RestOptions): Hono<AppEnv> {
  const app = createApp({ service: "metacrypt", version: o.version, logger: o.logger });
  if (o.web)
    installWeb(app, { ops: o.ops, validator: o.validator, web: o.web, version: o.version });
  else app.use(accessMap(restAccess, o.validator));
  sysRoutes(app, o.ops);
  engineRoutes(app, o.ops);
  policyRoutes(app, o.ops);
  caRoutes(app, o.ops);
  sshRoutes(app, o.ops);
  if (o.acme) acmeRoutes(app, o.acme);
  return app;
}

function sysRoutes(app: Hono<AppEnv>, ops: MetacryptOps): void {
  app.get("/v1/sys/status", (c) => c.json(ops.status()));
  app.post("/v1/sys/init", async (c) => {
    const body = await readJson(c, initBody);
    return c.json(await ops.init(requireIdentity(c), toInit(body)), 201);
  });
  app.post("/v1/sys/unseal", async (c) =>
    c.json(await ops.unseal(toUnseal(await readJson(c, unsealBody)), clientAddress(c))),
  );
  app.post("/v1/sys/seal", (c) => c.json(ops.seal(requireIdentity(c))));
  app.get("/v1/mounts", (c) => c.json({ mounts: ops.listMounts(requireIdentity(c)) }));
  app.post("/v1/mounts", async (c) => {
    const b = await readJson(c, mountBody);
    return c.json(await ops.createMount(requireIdentity(c), b.name, b.type, b.config), 201);
  });
  app.delete("/v1/mounts/:name", (c) => {
    ops.deleteMount(requireIdentity(c), c.req.param("name"));
    return c.body(null, 204);
  });
}

function engineRoutes(app: Hono<AppEnv>, ops: MetacryptOps): void {
  app.post("/v1/engine/request", async (c) => {
    const b = await readJson(c, engineBody);
    return c.json((await ops.request(requireIdentity(c), b.mount, b.operation, b.data)) as object);
  });
  app.post("/v1/certs/host", async (c) => {
    const { mount, ...data } = await readJson(c, hostCertBody);
    return c.json((await ops.request(requireIdentity(c), mount, "host-cert", data)) as object);
  });
}

function policyRoutes(app: Hono<AppEnv>, ops: MetacryptOps): void {
  app.get("/v1/policy/rules", (c) => c.json({ rules: ops.listRules(requireIdentity(c)) }));
  app.put("/v1/policy/rules/:id", async (c) => {
    const rule = await readJson(c, ruleSchema);
    if (rule.id !== c.req.param("id"))
      throw AppError.badRequest("id_mismatch", "the rule id must match the path");
    return c.json(ops.putRule(requireIdentity(c), rule));
  });
  app.delete("/v1/policy/rules/:id", (c) => {
    ops.deleteRule(requireIdentity(c), c.req.param("id"));
    return c.body(null, 204);
  });
  app.post("/v1/policy/explain", async (c) =>
    c.json(ops.explain(requireIdentity(c), toExplain(await readJson(c, explainBody)))),
  );
  app.get("/v1/audit", (c) => {
    const limit = Math.min(Number(c.req.query("limit") ?? 100) || 100, 1000);
    const q: { actor?: string; mount?: string; limit: number } = { limit };
    const actor = c.req.query("actor");
    const mount = c.req.query("mount");
    if (actor) q.actor = actor;
    if (mount) q.mount = mount;
    return c.json({ entries: ops.auditLog(requireIdentity(c), q) });
  });
  app.get("/v1/audit/verify", (c) => c.json(ops.verifyAudit(requireIdentity(c))));
}

function caRoutes(app: Hono<AppEnv>, ops: MetacryptOps): void {
  app.get("/v1/ca/:mount/chain/:issuer", (c) =>
    c.body(ops.chain(c.req.param("mount"), c.req.param("issuer")), 200, {
      "Content-Type": "application/pem-certificate-chain",
    }),
  );
  app.get("/v1/ca/:mount/crl/:issuer", async (c) => {
    const der = await ops.crl(c.req.param("mount"), c.req.param("issuer"));
    return c.body(new Uint8Array(der), 200, { "Content-Type": "application/pkix-crl" });
  });
  const ocspReply = (der: Buffer) =>
    new Response(new Uint8Array(der), { headers: { "Content-Type": "application/ocsp-response" } });
  app.post("/v1/ca/:mount/ocsp", async (c) =>
    ocspReply(await ops.ocsp(c.req.param("mount"), await readBodyBytes(c))),
  );
  app.get("/v1/ca/:mount/ocsp/:request", async (c) => {
    const der = Buffer.from(decodeURIComponent(c.req.param("request")), "base64");
    return ocspReply(await ops.ocsp(c.req.param("mount"), der));
  });
}

function sshRoutes(app: Hono<AppEnv>, ops: MetacryptOps): void {
  app.get("/v1/ssh/:mount/ca.pub", (c) =>
    c.body(ops.sshCaPublicKey(c.req.param("mount")), 200, { "Content-Type": "text/plain" }),
  );
  app.get("/v1/ssh/:mount/krl", (c) =>
    c.body(new Uint8Array(ops.sshKrl(c.req.param("mount"))), 200, {
      "Content-Type": "application/octet-stream",
    }),
  );
}
