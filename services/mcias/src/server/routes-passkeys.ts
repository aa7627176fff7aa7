// Passkey (WebAuthn) REST routes: the caller's own passkeys (register, list, remove), the
// public passkey login (a discoverable credential needs no username) and the admin view of an
// account's passkeys. Login answers exactly like POST /v1/auth/login.
import { AppError } from "@metacircular/mcdsl/errors";
import { readJson } from "@metacircular/mcdsl/http";
import type { Context } from "hono";
import { z } from "zod";
import { listAccountPasskeys, removeAccountPasskey } from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import { DEFAULT_SERVICE, finishLogin, renewDevice } from "../auth/login.ts";
import type { PasskeyInfo } from "../webauthn/passkeys.ts";
import { clientIp, iso, loginJson, param } from "./request.ts";
import type { Env, Router } from "./router.ts";

const challengeId = z.string().min(1).max(128);
const finishRegistrationSchema = z.object({
  challenge_id: challengeId,
  response: z.record(z.string(), z.unknown()),
  name: z.string().max(64).default(""),
});
const beginLoginSchema = z.object({ username: z.string().max(256).optional() });
const finishLoginSchema = z.object({
  challenge_id: challengeId,
  response: z.record(z.string(), z.unknown()),
  service_name: z.string().min(1).max(128).default(DEFAULT_SERVICE),
  tags: z.array(z.string().max(128)).max(32).default([]),
  device_token: z.string().max(256).optional(),
});

export function passkeyJson(p: PasskeyInfo) {
  return { id: p.id, name: p.name, created_at: iso(p.createdAt), last_used_at: iso(p.lastUsedAt) };
}

/** An empty body is allowed on begin routes (all their fields are optional). */
async function optionalBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  if ((await c.req.raw.clone().text()).trim() === "") return schema.parse({});
  return readJson(c, schema);
}

export function registerPasskeyRoutes(r: Router, core: Core): void {
  const me = (c: Context<Env>) => {
    const id = c.get("caller")!;
    const account = core.accounts.byId(id.accountId);
    if (!account) throw AppError.unauthenticated();
    return account;
  };

  r.add("POST", "/v1/auth/passkeys/register/begin", async (c) => {
    const b = await core.passkeys.beginRegistration(me(c), c.get("caller")!.authTime);
    c.header("cache-control", "no-store");
    return c.json({ challenge_id: b.challengeId, options: b.options });
  });

  r.add("POST", "/v1/auth/passkeys/register/finish", async (c) => {
    const account = me(c);
    const b = await readJson(c, finishRegistrationSchema);
    const p = await core.passkeys.finishRegistration(account, b.challenge_id, b.response, b.name);
    return c.json(passkeyJson(p), 201);
  });

  r.add("GET", "/v1/auth/passkeys", (c) =>
    c.json({ passkeys: core.passkeys.list(me(c).id).map(passkeyJson) }),
  );

  r.add("DELETE", "/v1/auth/passkeys/:id", (c) => {
    core.passkeys.remove(me(c).id, param(c, "id"));
    return c.json({ deleted: true });
  });

  r.add("POST", "/v1/auth/passkey/login/begin", async (c) => {
    const b = await optionalBody(c, beginLoginSchema);
    const res = await core.passkeys.beginLogin(b.username);
    c.header("cache-control", "no-store");
    return c.json({ challenge_id: res.challengeId, options: res.options });
  });

  r.add("POST", "/v1/auth/passkey/login/finish", async (c) => {
    const b = await readJson(c, finishLoginSchema);
    const ip = clientIp(c, core.cfg.trusted_proxies);
    const account = await core.passkeys.finishLogin(b.challenge_id, b.response, ip);
    const res = finishLogin(
      core,
      account,
      { serviceName: b.service_name, tags: b.tags },
      { verified: true, method: "passkey" },
      ip,
    );
    return c.json(loginJson({ ...res, deviceToken: renewDevice(core, account, b.device_token) }));
  });

  r.add("GET", "/v1/accounts/:username/passkeys", (c) => {
    const keys = listAccountPasskeys(core, param(c, "username"));
    return c.json({ passkeys: keys.map(passkeyJson) });
  });

  r.add("DELETE", "/v1/accounts/:username/passkeys/:id", (c) => {
    removeAccountPasskey(core, c.get("caller")!.username, param(c, "username"), param(c, "id"));
    return c.json({ deleted: true });
  });
}
