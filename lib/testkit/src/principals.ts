// The principals every service's authorization matrix runs through, made on a real MCIAS: an
// admin, a system account for the service (`agent`) and another one (`other`), an ordinary user,
// a guest, no token, a forged token, and two valid tokens for another service (the admin's MCIAS
// token and the agent's token for `foreignService`), which must be refused like no token at all.
import type { MciasInstance } from "./mcias.ts";

export interface PrincipalOptions {
  /** The audience under test, e.g. "mcns". */
  service: string;
  /** System account behind `agent` (default "mcp-agent"). */
  agent?: string;
  /** System account behind `other` (default "ci-bot"). */
  other?: string;
  /** The audience of `foreignSystem` (default "mc-proxy"). */
  foreignService?: string;
}

export interface MatrixTokens {
  admin: string;
  agent: string;
  other: string;
  human: string;
  guest: string;
  none: undefined;
  bogus: string;
  foreign: string;
  foreignSystem: string;
}

export const USER_PASSWORD = "alice-password-123";
export const GUEST_PASSWORD = "guest-password-123";

/** A login token for `service` (password login over REST). */
export async function loginToken(
  m: MciasInstance,
  username: string,
  password: string,
  service: string,
): Promise<string> {
  const r = await fetch(`${m.url}/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password, service_name: service }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

/** Creates alice (user), visitor (guest) and the two system accounts; returns every token. */
export async function matrixPrincipals(
  m: MciasInstance,
  o: PrincipalOptions,
): Promise<MatrixTokens> {
  const agent = o.agent ?? "mcp-agent";
  const other = o.other ?? "ci-bot";
  for (const name of [agent, other]) await m.createAccount(name, { type: "system" });
  await m.createAccount("alice", { type: "human", roles: ["user"], password: USER_PASSWORD });
  await m.createAccount("visitor", { type: "human", roles: ["guest"], password: GUEST_PASSWORD });
  return {
    admin: await loginToken(m, m.adminUsername, m.adminPassword, o.service),
    agent: await m.issueSystemToken(agent, o.service),
    other: await m.issueSystemToken(other, o.service),
    human: await loginToken(m, "alice", USER_PASSWORD, o.service),
    guest: await loginToken(m, "visitor", GUEST_PASSWORD, o.service),
    none: undefined,
    bogus: "not-a-token",
    foreign: m.adminToken,
    foreignSystem: await m.issueSystemToken(agent, o.foreignService ?? "mc-proxy"),
  };
}
