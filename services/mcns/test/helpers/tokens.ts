// Fixed bearer tokens → identities, for API tests that are about mcns semantics rather than
// about MCIAS (the authorization matrix runs against a real MCIAS).

import type { Identity, TokenValidator } from "@metacircular/mcdsl/http";

export const IDENTITIES: Record<string, Identity> = {
  "tok-admin": { username: "root", accountType: "human", roles: ["admin"] },
  "tok-agent": { username: "mcp-agent", accountType: "system", roles: [] },
  "tok-mcq": { username: "mcq", accountType: "system", roles: [] },
  "tok-mcr": { username: "mcr", accountType: "system", roles: [] },
  "tok-human": { username: "alice", accountType: "human", roles: ["user"] },
  "tok-guest": { username: "visitor", accountType: "human", roles: ["guest"] },
};

export const staticValidator: TokenValidator = {
  async validate(token: string) {
    return IDENTITIES[token] ?? null;
  },
};

export function client(base: string, token?: string) {
  return async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers["Content-Type"] = typeof body === "string" ? "text/plain" : "application/json";
      payload = typeof body === "string" ? body : JSON.stringify(body);
    }
    const r = await fetch(`${base}${path}`, { method, headers, body: payload });
    const text = await r.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    // biome-ignore lint/suspicious/noExplicitAny: tests assert on JSON bodies field by field
    return { status: r.status, json: json as Record<string, any>, text };
  };
}
