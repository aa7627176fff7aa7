// AgentService handlers: request → Agent use case → response. No logic of their own.
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { requireIdentityFrom } from "@metacircular/mcdsl/grpc";
import {
  AgentService,
  type ComponentStatus,
  ComponentStatusSchema,
  type Route,
  RouteSchema,
} from "@metacircular/proto/mcp/v1/agent_pb";
import type { Agent } from "../agent/agent.ts";
import { ServiceOps } from "../agent/service-ops.ts";
import type { ComponentStatus as DomainComponent } from "../agent/status.ts";
import type { RouteRow } from "../db/registry.ts";
import { VERSION } from "../version.ts";
import { fileHandlers } from "./handlers-files.ts";

const route = (r: RouteRow): Route =>
  create(RouteSchema, {
    component: r.component,
    name: r.name,
    listenerPort: r.listenerPort,
    mode: r.mode,
    hostname: r.hostname,
    public: r.public,
    hostPort: r.hostPort,
    registered: r.registered,
  });

const component = (c: DomainComponent): ComponentStatus =>
  create(ComponentStatusSchema, { ...c, ports: c.ports });

export function registerHandlers(router: ConnectRouter, agent: Agent): void {
  router.service(AgentService, {
    async deploy(req, ctx) {
      const r = await agent.deploy(requireIdentityFrom(ctx), req.definition, req.fileName);
      return { service: r.service, containers: r.containers, routes: r.routes.map(route) };
    },
    async stopService(req, ctx) {
      await agent.stop(requireIdentityFrom(ctx), req.name);
      return {};
    },
    async startService(req, ctx) {
      await agent.start(requireIdentityFrom(ctx), req.name);
      return {};
    },
    async undeploy(req, ctx) {
      await agent.undeploy(requireIdentityFrom(ctx), req.name);
      return {};
    },
    async listComponents(_req, ctx) {
      return { components: (await agent.components(requireIdentityFrom(ctx))).map(component) };
    },
    async getServiceStatus(req, ctx) {
      const s = await agent.status(requireIdentityFrom(ctx), req.name);
      return {
        ...s,
        components: s.components.map(component),
        routes: s.routes.map(route),
        events: s.events.map((e) => ({ at: e.at, kind: e.kind, message: e.message })),
        history: s.history.map((h) => ({ ...h, id: BigInt(h.id) })),
      };
    },
    async getLogs(req, ctx) {
      return {
        text: await agent.logs(requireIdentityFrom(ctx), req.service, req.component, req.tail),
      };
    },
    async recover(_req, ctx) {
      const r = await agent.recover(requireIdentityFrom(ctx));
      return { services: r.map((x) => ({ name: x.service, error: x.error, stage: x.stage })) };
    },
    async rollback(req, ctx) {
      const r = await agent.rollback(requireIdentityFrom(ctx), req.name, Number(req.deployId));
      return {
        service: r.result.service,
        fromDeploy: BigInt(r.from),
        containers: r.result.containers,
        routes: r.result.routes.map(route),
      };
    },
    async getAgentStatus(_req, ctx) {
      const i = await agent.info(requireIdentityFrom(ctx));
      return {
        node: i.node,
        version: VERSION,
        podmanVersion: i.podmanVersion,
        services: i.services,
        proxyEnabled: i.proxy,
        dnsEnabled: i.dns,
        pullEnabled: i.pull,
      };
    },
    ...fileHandlers(new ServiceOps(agent)),
  });
}
