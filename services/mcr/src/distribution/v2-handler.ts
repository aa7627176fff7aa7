// The /v2 data path on the Node request and response: parse the route, look up what it needs in
// V2_ACCESS (default deny), check the registry token, run the handler, render spec errors.
// Upload and blob bodies stream between the socket and the store without buffering.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RegistryClaims } from "../auth/registry-token.ts";
import { OciError } from "../oci/errors.ts";
import { blobHandler, uploadHandler, uploadsPost } from "./blob-handlers.ts";
import type { V2Deps } from "./deps.ts";
import { authorize } from "./gate.ts";
import { catalogHandler, referrersHandler, tagsHandler } from "./listing-handlers.ts";
import { manifestHandler } from "./manifest-handlers.ts";
import { type Exchange, send, sendError, sendJson } from "./respond.ts";
import { parseV2Path, V2_ACCESS, type V2Route } from "./routes.ts";
import { tokenHandler } from "./token-handler.ts";

async function dispatch(
  d: V2Deps,
  x: Exchange,
  route: V2Route,
  claims: RegistryClaims | undefined,
) {
  const c = claims!;
  switch (route.kind) {
    case "base":
      return sendJson(x, 200, {});
    case "token":
      return tokenHandler(d, x);
    case "catalog":
      return catalogHandler(d, x, c);
    case "tags":
      return tagsHandler(d, x, route);
    case "manifest":
      return manifestHandler(d, x, route, c);
    case "uploads":
      return uploadsPost(d, x, route, c);
    case "upload":
      return uploadHandler(d, x, route);
    case "blob":
      return blobHandler(d, x, route, c);
    case "referrers":
      return referrersHandler(d, x, route);
  }
}

/** Runs one request; `seen.kind` names its route as soon as it is known (for the metrics). */
async function serve(d: V2Deps, x: Exchange, seen: { kind: string }): Promise<void> {
  const route = parseV2Path(x.url.pathname);
  if (!route) throw new OciError(404, "NAME_UNKNOWN", "no such endpoint");
  seen.kind = route.kind;
  const method = x.req.method ?? "GET";
  const access = V2_ACCESS[route.kind][method];
  if (!access)
    throw new OciError(405, "UNSUPPORTED", `${method} is not supported here`, {
      headers: { Allow: Object.keys(V2_ACCESS[route.kind]).join(", ") },
    });
  const claims = await authorize(d.gate, x, route, access);
  await dispatch(d, x, route, claims);
}

export function createV2Handler(d: V2Deps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const x: Exchange = { req, res, url: new URL(req.url ?? "/", "http://registry") };
    const seen = { kind: "unknown" };
    try {
      await serve(d, x, seen);
    } catch (err) {
      if (res.headersSent) {
        d.logger.warn({ err: (err as Error).message, path: x.url.pathname }, "response aborted");
        res.destroy();
      } else if (err instanceof OciError) sendError(x, err);
      else {
        d.logger.error({ err, path: x.url.pathname, method: req.method }, "internal error on /v2");
        sendJson(x, 500, { errors: [{ code: "UNKNOWN", message: "internal error" }] });
      }
    } finally {
      d.metrics.requests.inc({
        route: seen.kind,
        method: req.method ?? "",
        status: res.statusCode,
      });
    }
    if (!res.writableEnded && !res.headersSent) send(x, 500);
  };
}
