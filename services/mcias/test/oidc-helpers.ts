// Helpers for the OpenID Connect tests: a real mcias child whose issuer is its own URL (the
// port is chosen first and passed as $PORT), a small HTTP(S) client with a per-origin cookie
// jar (the test CA is trusted explicitly), and a driver for MCIAS's login form.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { freePort, type MciasInstance, startMcias } from "@metacircular/testkit";

export const PASSWORD = "oidc-user-password-1";
export const SECRET = "s3cret-for-the-confidential-client-0123456789";
export const secretSha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface OidcMcias extends MciasInstance {
  issuer: string;
}

/** Starts mcias with [oidc] issuer = its own URL, policy default allow, and `clientsToml`. */
export async function startOidcMcias(
  clientsToml: string,
  opts: { tls?: boolean; env?: Record<string, string> } = {},
): Promise<OidcMcias> {
  const tls = opts.tls ?? false;
  const port = await freePort();
  const issuer = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  const m = await startMcias({
    tls,
    env: { ...opts.env, PORT: `127.0.0.1:${port}` },
    extraToml: [
      "[policy]",
      'default = "allow"',
      "[oidc]",
      `issuer = "${issuer}"`,
      clientsToml,
    ].join("\n"),
  });
  assert.equal(m.url, issuer);
  return Object.assign(m, { issuer });
}

export function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  location?: string;
}

/** A cookie-keeping HTTP(S) client that never follows redirects by itself. */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  constructor(private readonly ca?: string) {}

  request(
    url: string,
    opts: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse> {
    const u = new URL(url);
    const cookies = this.jar.get(u.host);
    const body = opts.form ? Buffer.from(new URLSearchParams(opts.form).toString()) : undefined;
    // Like a browser: relying parties (mod_auth_openidc) answer 401 instead of redirecting
    // when the client does not accept HTML.
    const headers: Record<string, string | number> = {
      accept: "text/html,application/xhtml+xml,*/*;q=0.8",
      ...opts.headers,
    };
    if (cookies?.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (body) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = body.length;
    }
    const send = u.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        u,
        {
          method: opts.method ?? (body ? "POST" : "GET"),
          headers,
          ...(this.ca ? { ca: this.ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            for (const sc of res.headers["set-cookie"] ?? []) {
              const [pair] = sc.split(";");
              const eq = pair!.indexOf("=");
              const jar = this.jar.get(u.host) ?? new Map<string, string>();
              jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
              this.jar.set(u.host, jar);
            }
            const loc = res.headers.location;
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString("utf8"),
              ...(loc ? { location: new URL(loc, u).toString() } : {}),
            });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
}

/** Parses MCIAS's login form: its action and every input with a value. */
export function parseForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, `no login form in:\n${html.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[m[1]!] = m[2]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  return {
    action: action.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))),
    fields,
  };
}

/**
 * GETs an authorization URL on MCIAS, submits the login form with the given credentials and
 * returns the response to the POST (a 302 to the client on success).
 */
export async function signIn(
  b: Browser,
  authorizeUrl: string,
  username: string,
  password = PASSWORD,
): Promise<HttpResponse> {
  const page = await b.request(authorizeUrl);
  assert.equal(page.status, 200, page.text);
  const { action, fields } = parseForm(page.text);
  return b.request(new URL(action, authorizeUrl).toString(), {
    form: { ...fields, username, password },
  });
}

/** Posts a form to an OAuth endpoint, optionally with client_secret_basic credentials. */
export async function postForm(
  url: string,
  form: Record<string, string>,
  basic?: [string, string],
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (basic)
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`).toString("base64")}`;
  const res = await fetch(url, { method: "POST", headers, body: new URLSearchParams(form) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}
