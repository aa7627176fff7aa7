// Routes of the certificate inventory, transit and SSH CA pages. Every read and action is an
// engine request through ops.request (policy decides, the audit log records it).
import { AppError } from "@metacircular/mcdsl/errors";
import { type AppEnv, requireIdentity } from "@metacircular/mcdsl/http";
import type { Identity } from "@metacircular/mcdsl/identity";
import type { Context, Hono } from "hono";
import type { CertSummary } from "../ca/inventory.ts";
import type { MountInfo } from "../mounts/mount-table.ts";
import { doneFlash } from "./notices.ts";
import { type CertSearch, certsPage } from "./pages-certs.tsx";
import { sshPage, transitPage, type WireKey, type WireSshCert } from "./pages-keys.tsx";
import { formFields, type Ui } from "./ui-context.ts";

/** The mounts of one engine type and the one the page shows (?mount=, else the first). */
function pickMount(ui: Ui, who: Identity, type: string, wanted: string | undefined) {
  const mounts = ui.ops.listMounts(who).filter((m: MountInfo) => m.type === type);
  const mount = mounts.find((m) => m.name === wanted)?.name ?? mounts[0]?.name ?? "";
  return { mounts, mount };
}

function searchOf(c: Context<AppEnv>): CertSearch {
  const q = (k: string) => (c.req.query(k) ?? "").trim();
  return {
    name: q("name"),
    serial: q("serial"),
    requester: q("requester"),
    expires_before: /^\d{4}-\d{2}-\d{2}$/.test(q("expires_before")) ? q("expires_before") : "",
    status: q("status"),
  };
}

function searchData(q: CertSearch): Record<string, unknown> {
  return {
    limit: 500,
    ...(q.name ? { name: q.name } : {}),
    ...(q.serial ? { serial: q.serial } : {}),
    ...(q.requester ? { requester: q.requester } : {}),
    ...(q.expires_before ? { expires_before: `${q.expires_before}T00:00:00Z` } : {}),
    ...(q.status === "revoked"
      ? { revoked: true }
      : q.status === "valid"
        ? { revoked: false }
        : {}),
  };
}

async function certs(c: Context<AppEnv>, ui: Ui): Promise<Response> {
  const who = requireIdentity(c);
  const { mounts, mount } = pickMount(ui, who, "ca", c.req.query("mount"));
  const q = searchOf(c);
  const list = mount
    ? ((await ui.ops.request(who, mount, "list-certs", searchData(q))) as {
        certificates: CertSummary[];
      })
    : { certificates: [] };
  const flash = doneFlash(c);
  return c.html(
    await certsPage(ui.ctx(c), {
      mounts,
      mount,
      q,
      certs: list.certificates.reverse(),
      ...(flash ? { flash } : {}),
    }),
  );
}

async function transit(c: Context<AppEnv>, ui: Ui): Promise<Response> {
  const who = requireIdentity(c);
  const { mounts, mount } = pickMount(ui, who, "transit", c.req.query("mount"));
  const keys = mount
    ? ((await ui.ops.request(who, mount, "list-keys", {})) as { keys: string[] }).keys
    : [];
  const name = c.req.query("key");
  const key =
    mount && name && keys.includes(name)
      ? ((await ui.ops.request(who, mount, "get-key", { name })) as WireKey)
      : undefined;
  const flash = doneFlash(c);
  return c.html(
    await transitPage(ui.ctx(c), {
      mounts,
      mount,
      keys,
      ...(key ? { key } : {}),
      ...(flash ? { flash } : {}),
    }),
  );
}

async function ssh(c: Context<AppEnv>, ui: Ui): Promise<Response> {
  const who = requireIdentity(c);
  const { mounts, mount } = pickMount(ui, who, "ssh-ca", c.req.query("mount"));
  if (!mount) return c.html(await sshPage(ui.ctx(c), { mounts, mount, certs: [] }));
  const call = (op: string) => ui.ops.request(who, mount, op, {});
  const cfg = (await call("config").catch((e: unknown) => {
    if (e instanceof AppError && e.code === "ca_not_initialized") return undefined;
    throw e;
  })) as { key_type: string; max_ttl_seconds: number } | undefined;
  const ca = cfg
    ? {
        publicKey: ((await call("public-key")) as { public_key: string }).public_key,
        keyType: cfg.key_type,
        maxTtlSeconds: cfg.max_ttl_seconds,
      }
    : undefined;
  const certs = cfg
    ? ((await call("list-certs")) as { certificates: WireSshCert[] }).certificates.reverse()
    : [];
  return c.html(await sshPage(ui.ctx(c), { mounts, mount, certs, ...(ca ? { ca } : {}) }));
}

export function registerCaPages(app: Hono<AppEnv>, ui: Ui): void {
  app.get("/certs", (c) => certs(c, ui));
  app.post("/certs/:mount/:serial/revoke", async (c) => {
    const f = await formFields(c);
    const { mount, serial } = c.req.param();
    const reason = Number(f("reason") || "0");
    await ui.ops.request(requireIdentity(c), mount, "revoke", { serial, reason });
    const back = new URLSearchParams({ mount, serial, done: "revoked" });
    return c.redirect(`/certs?${back}`, 303);
  });
  app.get("/transit", (c) => transit(c, ui));
  app.post("/transit/:mount/:name/rotate", async (c) => {
    const { mount, name } = c.req.param();
    await ui.ops.request(requireIdentity(c), mount, "rotate-key", { name });
    const back = new URLSearchParams({ mount, key: name, done: "rotated" });
    return c.redirect(`/transit?${back}`, 303);
  });
  app.get("/ssh", (c) => ssh(c, ui));
}
