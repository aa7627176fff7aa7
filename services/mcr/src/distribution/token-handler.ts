// The token endpoint, /v2/token: GET with HTTP Basic credentials (the Docker token flow) and
// POST with an OAuth2 password-grant form. The password may be an MCIAS token for this service.
import { parseScopes } from "../auth/scope.ts";
import { unauthorized } from "../auth/token-service.ts";
import { OciError } from "../oci/errors.ts";
import { readLimited } from "./body.ts";
import type { V2Deps } from "./deps.ts";
import { type Exchange, sendJson } from "./respond.ts";

const FORM_LIMIT = 64 * 1024;

function basicCredentials(header: string | undefined): { username: string; secret: string } {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!m)
    throw new OciError(401, "UNAUTHORIZED", "credentials required", {
      headers: { "WWW-Authenticate": 'Basic realm="mcr"' },
    });
  const text = Buffer.from(m[1]!, "base64").toString("utf8");
  const i = text.indexOf(":");
  if (i < 0) throw unauthorized("malformed Basic credentials");
  return { username: text.slice(0, i), secret: text.slice(i + 1) };
}

interface TokenRequest {
  username: string;
  secret: string;
  service: string | null;
  scopes: string[];
}

async function readRequest(x: Exchange): Promise<TokenRequest> {
  if (x.req.method === "GET") {
    const q = x.url.searchParams;
    return {
      ...basicCredentials(x.req.headers.authorization),
      service: q.get("service"),
      scopes: q.getAll("scope"),
    };
  }
  const type = x.req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded")
    throw new OciError(400, "UNSUPPORTED", "expected an application/x-www-form-urlencoded form");
  const form = new URLSearchParams((await readLimited(x.req, FORM_LIMIT, "form")).toString("utf8"));
  if (form.get("grant_type") !== "password")
    throw new OciError(400, "UNSUPPORTED", "only grant_type=password is supported");
  return {
    username: form.get("username") ?? "",
    secret: form.get("password") ?? "",
    service: form.get("service"),
    scopes: form.getAll("scope"),
  };
}

export async function tokenHandler(d: V2Deps, x: Exchange): Promise<void> {
  const r = await readRequest(x);
  if (r.service !== null && r.service !== d.service)
    throw new OciError(400, "UNSUPPORTED", `unknown service "${r.service}"`);
  const minted = await d.tokens.issue(r.username, r.secret, parseScopes(r.scopes));
  sendJson(
    x,
    200,
    {
      token: minted.token,
      access_token: minted.token,
      expires_in: minted.expiresIn,
      issued_at: minted.issuedAt.toISOString(),
    },
    { "Cache-Control": "no-store" },
  );
}
