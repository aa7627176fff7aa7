// Every service `npm start` runs, in start-up order (all are started together; a service that
// needs another retries until it answers). Adding a service: a descriptor in services/<name>.ts
// (descriptor.ts says what it holds) and one line here.
import type { ServiceDescriptor } from "./descriptor.ts";
import { mcProxy } from "./services/mc-proxy.ts";
import { mcat } from "./services/mcat.ts";
import { mcdoc } from "./services/mcdoc.ts";
import { mcias } from "./services/mcias.ts";
import { mcns } from "./services/mcns.ts";
import { mcpAgent } from "./services/mcp-agent.ts";
import { mcq } from "./services/mcq.ts";
import { mcr } from "./services/mcr.ts";
import { metacrypt } from "./services/metacrypt.ts";

// biome-ignore format: one line per service, so that adding one is a one-line change
export const SERVICES: readonly ServiceDescriptor[] = [
  mcias,
  mcns,
  mcProxy,
  metacrypt,
  mcr,
  mcq,
  mcdoc,
  mcat,
  mcpAgent,
];
