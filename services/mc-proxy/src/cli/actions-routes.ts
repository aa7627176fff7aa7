// mcproxyctl routes / listeners actions (loaded when one of them runs).
import {
  AddRouteResponseSchema,
  ListListenersResponseSchema,
  ListRoutesResponseSchema,
} from "@metacircular/proto/mcproxy/v1/admin_pb";
import type { Command } from "commander";
import { client, out, say } from "./context.ts";
import { listenersTable, routesTable } from "./format.ts";
import { type RouteFlags, routeRequest } from "./route-request.ts";

export async function listRoutes(this: Command, o: { listener: string }): Promise<void> {
  const r = await client(this).listRoutes({ listener: o.listener });
  out(this, ListRoutesResponseSchema, r, () => routesTable(r.routes));
}

export async function addRoute(
  this: Command,
  listener: string,
  hostname: string,
  backend: string,
  o: RouteFlags,
): Promise<void> {
  const route = routeRequest({ listener, hostname, backend }, o);
  const r = await client(this).addRoute({ route });
  out(
    this,
    AddRouteResponseSchema,
    r,
    () => `${r.replaced ? "replaced" : "added"} ${hostname} → ${backend} on ${listener}`,
  );
}

export async function removeRoute(this: Command, listener: string, hostname: string) {
  await client(this).removeRoute({ listener, hostname });
  say(this, {}, `removed ${hostname} from ${listener}`);
}

export async function listListeners(this: Command): Promise<void> {
  const r = await client(this).listListeners({});
  out(this, ListListenersResponseSchema, r, () => listenersTable(r.listeners));
}

export async function addListener(
  this: Command,
  name: string,
  addr: string,
  o: { proxyProtocol: boolean; trusted: string },
): Promise<void> {
  const trusted = o.trusted ? o.trusted.split(",").map((s) => s.trim()) : [];
  const r = await client(this).addListener({
    listener: { name, addr, proxyProtocol: o.proxyProtocol, trustedProxies: trusted },
  });
  const bound = r.listener?.boundAddr;
  say(this, { name, boundAddr: bound }, `listener ${name} on ${bound}`);
}

export async function removeListener(this: Command, name: string): Promise<void> {
  await client(this).removeListener({ name });
  say(this, {}, `removed listener ${name}`);
}
