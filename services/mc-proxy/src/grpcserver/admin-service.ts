// ProxyAdminService handlers: thin translation between protobuf and the Controller.
import type { ConnectRouter } from "@connectrpc/connect";
import { AppError } from "@metacircular/mcdsl/errors";
import { ProxyAdminService } from "@metacircular/proto/mcproxy/v1/admin_pb";
import type { Controller } from "../state/controller.ts";
import {
  firewallFromProto,
  firewallToProto,
  listenerFromProto,
  listenerToProto,
  routeInput,
  routeToProto,
  ruleKind,
} from "./convert.ts";

export const VERSION = "0.1.0";

export function registerAdmin(router: ConnectRouter, c: Controller): void {
  const listeners = async () => {
    const s = c.state();
    const st = await c.status();
    return s.listeners.map((l) =>
      listenerToProto(
        l,
        st.addresses[l.name] ?? "",
        s.routes.filter((r) => r.listener === l.name).length,
      ),
    );
  };
  router.service(ProxyAdminService, {
    async getStatus() {
      const s = c.state();
      const st = await c.status();
      return {
        version: VERSION,
        listeners: await listeners(),
        routeCount: s.routes.length,
        activeConnections: BigInt(st.connections),
        workers: st.workers,
        startedAtUnix: BigInt(Math.floor(c.startedAt.getTime() / 1000)),
      };
    },
    listRoutes(req) {
      const routes = c
        .state()
        .routes.filter((r) => req.listener === "" || r.listener === req.listener);
      return { routes: routes.map(routeToProto) };
    },
    async addRoute(req) {
      if (req.route === undefined) throw AppError.badRequest("invalid_route", "route is required");
      const { route, replaced } = await c.addRoute(req.route.listener, routeInput(req.route));
      return { route: routeToProto(route), replaced };
    },
    async removeRoute(req) {
      await c.removeRoute(req.listener, req.hostname);
      return {};
    },
    async listListeners() {
      return { listeners: await listeners() };
    },
    async addListener(req) {
      if (req.listener === undefined)
        throw AppError.badRequest("invalid_listener", "listener is required");
      const spec = listenerFromProto(req.listener);
      await c.addListener(spec);
      const st = await c.status();
      return { listener: listenerToProto(spec, st.addresses[spec.name] ?? "", 0) };
    },
    async removeListener(req) {
      await c.removeListener(req.name);
      return {};
    },
    getFirewall() {
      return { firewall: firewallToProto(c.state().firewall) };
    },
    async setFirewall(req) {
      return { firewall: firewallToProto(await c.setFirewall(firewallFromProto(req.firewall))) };
    },
    async addFirewallRule(req) {
      return { firewall: firewallToProto(await c.addRule(ruleKind(req.kind), req.value)) };
    },
    async removeFirewallRule(req) {
      return { firewall: firewallToProto(await c.removeRule(ruleKind(req.kind), req.value)) };
    },
    exportConfig() {
      return { toml: c.exportToml() };
    },
    async seedConfig(req) {
      const s = await c.seed(req.toml);
      return { listeners: s.listeners.length, routes: s.routes.length };
    },
  });
}
