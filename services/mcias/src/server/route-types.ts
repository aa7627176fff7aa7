// The shapes every route module shares: the request environment, handlers, the router they
// register through, the bearer token of a request and how the caller is recorded. A leaf
// module, so the UI can use it without importing the router.
import type { AppVariables } from "@metacircular/mcdsl/http";
import { bearerToken } from "@metacircular/mcdsl/identity";
import type { Context } from "hono";
import type { TokenIdentity } from "../tokens/tokens.ts";

/** mcdsl's request variables plus the caller's full token identity (`caller`). */
export type Env = {
  Variables: AppVariables & { caller?: TokenIdentity; csrfToken?: string };
};
export type Handler = (c: Context<Env>) => Promise<Response> | Response;
export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface Router {
  add(method: Method, path: string, handler: Handler): void;
  readonly registered: string[];
  readonly unmapped: string[];
}

/** The bearer token of the request (mcdsl's one parser of the Authorization header). */
export function bearer(c: Context): string | undefined {
  return bearerToken(c.req.header("authorization"));
}

/** Records the caller for the handler: its full token identity and mcdsl's Identity. */
export function setCaller(c: Context<Env>, id: TokenIdentity): void {
  c.set("caller", id);
  c.set("identity", {
    username: id.username,
    accountType: id.accountType,
    roles: id.roles,
    tokenId: id.tokenId,
  });
}
