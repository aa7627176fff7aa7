// MCIAS client for services: login, cached validation with fast revocation, logout.
export {
  type AccountType,
  bearerToken,
  type Identity,
  isAdmin,
  isGuest,
  type TokenValidator,
} from "../identity/index.ts";
export { tokenKey, type ValidationCache } from "./cache.ts";
export { AuthClient, type AuthClientOptions, type LoginResult } from "./client.ts";
export {
  JsonClient,
  type JsonRequestOptions,
  type JsonResponse,
  responseError,
} from "./http-json.ts";
