// Routes of the status, unseal, seal, mounts and audit pages.
import { AppError } from "@metacircular/mcdsl/errors";
import { type AppEnv, requireIdentity } from "@metacircular/mcdsl/http";
import type { Context, Hono } from "hono";
import { parseData } from "../engines/parse.ts";
import { clientAddress } from "../server/client-address.ts";
import { toUnseal, unsealBody } from "../service/requests.ts";
import { auditPage, mountsPage, statusPage, unsealPage } from "./pages-sys.tsx";
import { formFields, type Ui } from "./ui-context.ts";

const AUDIT_PAGE = 50;

function unsealNotice(s: { sealed: boolean; progress?: number; threshold?: number }) {
  if (!s.sealed) return { kind: "ok" as const, id: "notice", text: "Metacrypt is unsealed." };
  return {
    kind: "info" as const,
    id: "notice",
    text: `Share accepted: ${s.progress ?? 0} of ${s.threshold ?? 0}.`,
  };
}

async function postUnseal(c: Context<AppEnv>, ui: Ui, csrf: string): Promise<Response> {
  const f = await formFields(c);
  const input = f("share") ? { share: f("share") } : { password: f("password") };
  try {
    const s = await ui.ops.unseal(toUnseal(parseData(unsealBody, input)), clientAddress(c));
    return c.html(await unsealPage(csrf, s, [unsealNotice(s)]));
  } catch (e) {
    if (!(e instanceof AppError) || e.status >= 500) throw e;
    if (e.retryAfter !== undefined) c.header("Retry-After", String(e.retryAfter));
    const flash = [{ kind: "error" as const, id: "error", text: `${e.message} (${e.code})` }];
    return c.html(await unsealPage(csrf, ui.ops.status(), flash), e.status as 400);
  }
}

function auditLinks(rows: { seq: number }[], page: number, before?: number) {
  const last = rows.at(-1);
  return {
    page,
    next:
      rows.length === AUDIT_PAGE && last ? `/audit?before=${last.seq}&page=${page + 1}` : undefined,
    prev: before !== undefined ? "/audit" : undefined,
  };
}

export function registerSysPages(
  app: Hono<AppEnv>,
  ui: Ui,
  csrfOf: (c: Context<AppEnv>) => string,
): void {
  app.get("/", async (c) => c.html(await statusPage(ui.ctx(c), ui.ops.status())));
  app.get("/unseal", async (c) => c.html(await unsealPage(csrfOf(c), ui.ops.status())));
  app.post("/unseal", (c) => postUnseal(c, ui, csrfOf(c)));
  app.post("/seal", async (c) => {
    const s = ui.ops.seal(requireIdentity(c));
    const flash = [{ kind: "warn" as const, id: "notice", text: "Metacrypt is sealed." }];
    return c.html(await statusPage(ui.ctx(c), s, flash));
  });
  app.get("/mounts", async (c) =>
    c.html(await mountsPage(ui.ctx(c), ui.ops.listMounts(requireIdentity(c)))),
  );
  app.get("/audit", async (c) => {
    const raw = Number(c.req.query("before"));
    const before = Number.isInteger(raw) && raw > 0 ? raw : undefined;
    const page = Math.max(1, Number(c.req.query("page")) || 1);
    const rows = ui.ops.auditLog(requireIdentity(c), {
      limit: AUDIT_PAGE,
      ...(before ? { before } : {}),
    });
    return c.html(await auditPage(ui.ctx(c), rows, auditLinks(rows, page, before)));
  });
}
