export type { Access, Identity, TokenValidator, ValidationContext } from "../identity/index.ts";
export {
  authInterceptor,
  identityFrom,
  identityKey,
  requireIdentityFrom,
} from "./auth-interceptor.ts";
export { type GrpcServiceOptions, grpcOptionsFromConfig } from "./from-config.ts";
export { checkMethodMap, type MethodMap, methodKey, missingMethods } from "./method-map.ts";
export { type GrpcServeOptions, type GrpcServerHandle, serveGrpc } from "./serve.ts";
