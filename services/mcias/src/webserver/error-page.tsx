// A plain HTML error page for browsers (the REST API answers JSON instead).
import type { Context } from "hono";
import type { Env } from "../server/route-types.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";
import { page } from "./layout.tsx";

export function errorPage(
  c: Context<Env>,
  status: 400 | 403 | 404,
  title: string,
  message: string,
  me: TokenIdentity | undefined,
): Promise<Response> {
  return page(c, status, { title, csrf: c.get("csrfToken") ?? "", me, error: message });
}
