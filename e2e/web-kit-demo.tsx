// A small admin UI built only from @metacircular/mcdsl/web, served on 127.0.0.1 port 0 under
// the strict CSP the services use. The kit's browser test (e2e/web-kit-browser.test.ts) opens
// it; it is also a compact example of a page, a table, a detail cell, an empty state and a
// form that keeps its values and marks the field in error.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import {
  Badge,
  CheckboxGroup,
  CsrfField,
  DataTable,
  EmptyState,
  Facts,
  Field,
  type FieldErrors,
  type FormValues,
  formValue,
  formValues,
  JsonDetail,
  KIT_ROUTE,
  type PageProps,
  Pager,
  renderPage,
  Section,
  SelectField,
  Time,
  webKitAssets,
} from "@metacircular/mcdsl/web";
import { Hono } from "hono";

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

interface Event {
  seq: number;
  ts: number;
  event: string;
  outcome: "success" | "failure";
  actor: string;
  detail: string;
}

const T0 = Date.UTC(2026, 11, 6, 17, 0, 0);
export const DEMO_EVENTS: Event[] = Array.from({ length: 9 }, (_, i) => ({
  seq: 9 - i,
  ts: T0 - i * 3_600_000,
  event: i % 3 === 0 ? "login_failed" : "token_issued",
  outcome: i % 3 === 0 ? "failure" : "success",
  actor: i % 2 ? "admin" : "erin.with.a.rather.long.username@example.org",
  detail: JSON.stringify({
    ip: `192.0.2.${10 + i}`,
    user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156",
    audience: ["mcns", "mcproxy"],
    reason: i % 3 === 0 ? "bad password" : null,
    token_id: `tok_${"0123456789abcdef".repeat(2)}${i}`,
  }),
}));

const NAV = [
  { href: "/", label: "Events" },
  { href: "/accounts", label: "Accounts" },
  { href: "/zones", label: "Zones" },
  { href: "/settings", label: "Settings" },
];

function page(current: string, p: Omit<PageProps, "app" | "nav" | "current">) {
  return renderPage({
    app: "Demo",
    nav: NAV,
    current,
    navExtra: (
      <form method="post" action="/logout">
        <CsrfField token="demo" />
        <button type="submit" class="kit-secondary">
          Sign out (erin)
        </button>
      </form>
    ),
    ...p,
  });
}

function AccountForm(p: { values?: FormValues; errors?: FieldErrors }) {
  return (
    <Section id="create" title="Create an account" card>
      <form method="post" action="/accounts" class="kit-form">
        <CsrfField token="demo" />
        <Field
          name="username"
          label="Username"
          value={formValue(p.values, "username")}
          error={p.errors?.username}
          hint="Lower-case letters, digits, dots and dashes."
          autocapitalize="none"
          required
        />
        <SelectField
          name="type"
          label="Type"
          value={formValue(p.values, "type")}
          options={[
            { value: "human", label: "Human" },
            { value: "system", label: "System" },
          ]}
        />
        <CheckboxGroup
          name="roles"
          label="Roles"
          values={formValues(p.values, "roles")}
          options={[
            { value: "admin", label: "admin" },
            { value: "user", label: "user" },
          ]}
        />
        <Field
          name="password"
          type="password"
          label="Initial password"
          autocomplete="new-password"
        />
        <div class="kit-actions">
          <button type="submit">Create</button>
        </div>
      </form>
    </Section>
  );
}

export function demoApp(): Hono {
  const app = new Hono();
  const assets = webKitAssets();
  app.use(async (c, next) => {
    await next();
    c.header("content-security-policy", CSP);
  });
  app.get(KIT_ROUTE, (c) => assets.serve(c.req.param("file")) ?? c.notFound());
  app.get("/", async (c) =>
    c.html(
      await page("/", {
        title: "Events",
        flash: [{ kind: "ok", text: "The chain is intact (9 rows).", id: "notice" }],
        children: (
          <>
            <DataTable
              id="events"
              rows={DEMO_EVENTS}
              empty={<EmptyState title="No events." />}
              columns={[
                { label: "#", cell: (e) => String(e.seq), kind: "num" },
                { label: "Time", cell: (e) => <Time at={e.ts} />, kind: "nowrap" },
                { label: "Event", cell: (e) => e.event },
                {
                  label: "Outcome",
                  cell: (e) => (
                    <Badge tone={e.outcome === "success" ? "ok" : "bad"}>{e.outcome}</Badge>
                  ),
                },
                { label: "Actor", cell: (e) => e.actor, kind: "break" },
                { label: "Detail", cell: (e) => <JsonDetail value={e.detail} />, kind: "wide" },
              ]}
            />
            <Pager page={1} next="/?page=2" />
            <h2>Pending approvals</h2>
            <DataTable
              id="approvals"
              rows={[] as Event[]}
              columns={[{ label: "Request", cell: (e) => e.event }]}
              empty={
                <EmptyState
                  id="approvals-empty"
                  title="Nothing is waiting for approval."
                  action={
                    <a class="kit-button kit-secondary" href="/settings">
                      Review approval rules
                    </a>
                  }
                >
                  Requests that need a second administrator appear here.
                </EmptyState>
              }
            />
          </>
        ),
      }),
    ),
  );
  app.get("/accounts", async (c) =>
    c.html(
      await page("/accounts", {
        title: "Accounts",
        children: (
          <>
            <Facts
              items={[
                { label: "Accounts", value: "2" },
                { label: "Last change", value: <Time at={T0} /> },
              ]}
            />
            <AccountForm />
          </>
        ),
      }),
    ),
  );
  app.post("/accounts", async (c) => {
    const body = await c.req.parseBody({ all: true });
    const values = body as FormValues;
    return c.html(
      await page("/accounts", {
        title: "Accounts",
        flash: [{ kind: "error", text: "The account was not created.", id: "error" }],
        children: (
          <AccountForm values={values} errors={{ username: "This username is already taken." }} />
        ),
      }),
      409,
    );
  });
  return app;
}

export interface DemoServer {
  origin: string;
  close(): Promise<void>;
}

export function startDemo(): Promise<DemoServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch: demoApp().fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
      const { port } = info as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
