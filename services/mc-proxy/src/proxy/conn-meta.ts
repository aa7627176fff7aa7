// What the engine knows about a client connection once it has been accepted and routed.
import type { RouteSpec } from "../state/types.ts";

export interface ConnMeta {
  listener: string;
  /** Client address: the PROXY-protocol source when one was accepted, else the socket peer. */
  clientAddr: string;
  clientPort: number;
  localAddr: string;
  localPort: number;
  sni: string | undefined;
  route: RouteSpec;
}

export const META = Symbol("mcproxy.meta");

export type WithMeta<T> = T & { [META]?: ConnMeta };
