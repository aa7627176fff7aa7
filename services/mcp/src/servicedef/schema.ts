// The service definition (~/.config/mcp/services/<name>.toml): what to run on which node, and
// how the platform reaches it. Strict: an unknown or misspelt key is an error, never dropped.
import { z } from "zod";
import { parseImageRef } from "./image-ref.ts";

/** A DNS label: the service becomes <name>.svc.mcp.metacircular.net. */
const label = z
  .string()
  .regex(/^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "a lower-case DNS label ([a-z0-9-], 1-63)");

const image = z.string().superRefine((v, ctx) => {
  const r = parseImageRef(v);
  if (!r.ok) ctx.addIssue({ code: "custom", message: r.reason });
});

const hostname = z
  .string()
  .max(253)
  .regex(
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    "a lower-case fully qualified host name",
  );

const envEntry = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*=/, "KEY=VALUE with KEY of [A-Za-z0-9_]")
  .refine((v) => !/^PORT(?:_|=)/.test(v), "PORT and PORT_<NAME> are set by the agent");

const volume = z
  .string()
  .regex(
    /^\/[^:]*:\/[^:]*(?::(?:ro|rw|z|Z)(?:,(?:ro|rw|z|Z))*)?$/,
    "host:container[:ro|rw] with absolute paths",
  );

export const routeSchema = z.strictObject({
  /** Names $PORT_<NAME>; the one unnamed route of a component gets $PORT. */
  name: label.optional(),
  /**
   * The MC-Proxy listener port the route is served on (443, 8443, 9443). The container itself
   * listens on the host port the agent assigns, given as $PORT / $PORT_<NAME>.
   */
  port: z.number().int().min(1).max(65535),
  mode: z.enum(["l4", "l7"]),
  /** Default: <service>.svc.mcp.metacircular.net. */
  hostname: hostname.optional(),
  public: z.boolean().default(false),
});

/**
 * How the agent knows a new container is ready for traffic (a deploy waits for it before the
 * proxy route points at the container). Without `http`: every route's host port accepts a TCP
 * connection. With `http`: also a plain HTTP GET of that path on the route's host port answers
 * 2xx or 3xx.
 */
export const healthSchema = z.strictObject({
  http: z
    .string()
    .regex(/^\/[\x21-\x7e]*$/, "an absolute path such as /healthz")
    .optional(),
  /** The route whose port is checked by name (default: the unnamed route, else the first). */
  route: label.optional(),
  /** How long a new container may take to become healthy before the deploy gives up. */
  timeout_seconds: z.number().int().min(1).max(600).default(60),
});

export const restartPolicy = z.enum(["no", "always", "on-failure", "unless-stopped"]);

export const componentSchema = z.strictObject({
  name: label,
  image,
  volumes: z.array(volume).default([]),
  cmd: z.array(z.string()).optional(),
  env: z.array(envEntry).default([]),
  network: z.string().min(1).optional(),
  user: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)?$/, "user or uid[:gid]")
    .optional(),
  restart: restartPolicy.default("unless-stopped"),
  routes: z.array(routeSchema).default([]),
  health: healthSchema.optional(),
});

export const serviceSchema = z
  .strictObject({
    name: label,
    node: label,
    tier: z.enum(["core", "worker"]).default("worker"),
    active: z.boolean().default(true),
    path: z.string().min(1).optional(),
    build: z
      .strictObject({ images: z.record(z.string(), z.string().min(1)).default({}) })
      .optional(),
    components: z.array(componentSchema).min(1, "at least one [[components]]"),
  })
  .superRefine((svc, ctx) => {
    const seen = new Set<string>();
    const routeNames = new Set<string>();
    svc.components.forEach((c, ci) => {
      if (seen.has(c.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["components", ci, "name"],
          message: `duplicate component ${c.name}`,
        });
      }
      seen.add(c.name);
      let unnamed = 0;
      c.routes.forEach((r, ri) => {
        const at = ["components", ci, "routes", ri, "name"];
        if (r.name === undefined) {
          unnamed += 1;
          if (unnamed > 1)
            ctx.addIssue({
              code: "custom",
              path: at,
              message: "name every route but one of a component",
            });
          return;
        }
        if (routeNames.has(r.name))
          ctx.addIssue({ code: "custom", path: at, message: `duplicate route ${r.name}` });
        routeNames.add(r.name);
      });
      const want = c.health?.route;
      if (want !== undefined && !c.routes.some((r) => r.name === want))
        ctx.addIssue({
          code: "custom",
          path: ["components", ci, "health", "route"],
          message: `no route ${want} in component ${c.name}`,
        });
    });
  });

export type ServiceDef = z.infer<typeof serviceSchema>;
export type ComponentDef = z.infer<typeof componentSchema>;
export type RouteDef = z.infer<typeof routeSchema>;
export type HealthDef = z.infer<typeof healthSchema>;
export type RestartPolicy = z.infer<typeof restartPolicy>;

/** The field names of each level, for "did you mean" on a misspelt key. */
export const FIELDS = {
  service: Object.keys(serviceSchema.shape),
  build: ["images"],
  component: Object.keys(componentSchema.shape),
  route: Object.keys(routeSchema.shape),
  health: Object.keys(healthSchema.shape),
} as const;
