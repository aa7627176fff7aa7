export type { Access, Identity, TokenValidator } from "../identity/index.ts";
export {
  type AccessMapOptions,
  accessMap,
  BUILTIN_ROUTES,
  missingRoutes,
  type RouteMap,
} from "./access-map.ts";
export { type AppOptions, createApp, DEFAULT_BODY_LIMIT } from "./app.ts";
export {
  type BearerCheck,
  type BearerError,
  type BearerLevel,
  bearerChallenge,
  requestBearer,
  requireBearer,
} from "./bearer-auth.ts";
export { bodyLimitMiddleware, nodeObjects, readBodyBytes, readBodyText } from "./body.ts";
export { type AppEnv, type AppVariables, identityOf, requireIdentity } from "./env.ts";
export { renderError, renderNotFound } from "./errors.ts";
export { httpOptionsFromConfig } from "./from-config.ts";
export { isJsonContentType, readJson, readJsonValue } from "./read-json.ts";
export { REQUEST_ID_HEADER } from "./request-id.ts";
export { type HttpServerHandle, type ServeOptions, serveHttp, type TlsFiles } from "./serve.ts";
export { parseStrictJson, type StrictJsonError, type StrictJsonResult } from "./strict-json.ts";
