// Request helpers: the client address and JSON shapes. JSON bodies are read with mcdsl's
// readJson (media type, UTF-8, duplicate keys and schema checked in one place).
import { AppError } from "@metacircular/mcdsl/errors";
import { nodeObjects } from "@metacircular/mcdsl/http";
import type { Context } from "hono";
import type { Account } from "../accounts/accounts.ts";

function normaliseIp(ip: string): string {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}

/** The peer address, or the last X-Forwarded-For hop when the peer is a trusted proxy. */
export function clientIp(c: Context, trustedProxies: string[]): string {
  const peer = normaliseIp(nodeObjects(c)?.incoming.socket.remoteAddress ?? "unknown");
  if (trustedProxies.includes(peer)) {
    const xff = c.req.header("x-forwarded-for");
    const last = xff?.split(",").at(-1)?.trim();
    if (last) return normaliseIp(last);
  }
  return peer;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function accountJson(a: Account) {
  return {
    id: a.id,
    username: a.username,
    type: a.type,
    roles: a.roles,
    status: a.status,
    has_password: a.hasPassword,
    totp_enabled: a.totpEnabled,
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
  };
}

export { iso };

/** A path parameter; the router guarantees presence, this keeps the type honest. */
export function param(c: Context, name: string): string {
  const v = c.req.param(name);
  if (v === undefined || v === "") throw AppError.badRequest("invalid_request", `missing ${name}`);
  return v;
}

/** The JSON answer of every login endpoint (password, passkey). */
export function loginJson(res: {
  token: string;
  jti: string;
  expiresAt: number;
  username: string;
  accountType: string;
  roles: string[];
  deviceToken?: string;
}) {
  return {
    ...(res.deviceToken ? { device_token: res.deviceToken } : {}),
    token: res.token,
    token_id: res.jti,
    expires_at: iso(res.expiresAt),
    username: res.username,
    account_type: res.accountType,
    roles: res.roles,
  };
}
