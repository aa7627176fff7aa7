import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CheckboxGroup,
  currentItem,
  DataTable,
  EmptyState,
  Field,
  FlashMessage,
  formatUtc,
  formValue,
  formValues,
  JsonDetail,
  KIT_CACHE_CONTROL,
  KIT_PREFIX,
  renderPage,
  SelectField,
  Time,
  webKitAssets,
} from "./index.ts";

const html = async (node: unknown): Promise<string> => String(await node);

test("assets: hashed names under the fixed prefix, immutable cache, unknown names refused", async () => {
  const a = webKitAssets();
  for (const href of [a.href.css, a.href.prose, a.href.js, a.href.htmx]) {
    assert.match(href, /^\/_kit\/(kit|prose|htmx)\.[0-9a-f]{12}\.(css|js)$/);
    const res = a.serve(href.slice(KIT_PREFIX.length));
    assert.ok(res);
    assert.equal(res.headers.get("cache-control"), KIT_CACHE_CONTROL);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  }
  assert.equal(
    a.serve(a.href.css.slice(KIT_PREFIX.length))?.headers.get("content-type"),
    "text/css; charset=utf-8",
  );
  assert.match(await a.serve(a.href.htmx.slice(KIT_PREFIX.length))!.text(), /htmx/);
  assert.match(await a.serve(a.href.prose.slice(KIT_PREFIX.length))!.text(), /\.md-body/);
  assert.equal(a.serve("kit.css"), undefined);
  assert.equal(a.serve("../package.json"), undefined);
  assert.equal(webKitAssets(), a, "loaded once per process");
});

test("page: doctype, title, kit assets, favicon, current nav item, flashes, no inline script or style", async () => {
  const a = webKitAssets();
  const s = await renderPage({
    app: "MCNS",
    title: "Zones <&>",
    nav: [
      { href: "/ui/zones", label: "Zones" },
      { href: "/ui/audit", label: "Audit" },
    ],
    current: "/ui/zones",
    navExtra: <span>signed in</span>,
    flash: [
      { kind: "ok", text: "Saved.", id: "notice" },
      { kind: "error", text: "Refused.", id: "error" },
    ],
    styles: ["/static/app.css"],
    children: <p>body</p>,
  });
  assert.ok(s.startsWith('<!doctype html><html lang="en">'));
  // A service's own stylesheet is linked in the head, after the kit's (so it can refine it).
  const head = s.slice(0, s.indexOf("</head>"));
  assert.ok(head.indexOf('href="/static/app.css"') > head.indexOf(a.href.css));
  assert.ok(!head.includes(a.href.prose), "prose only when asked for");
  const prose = await renderPage({ app: "MCQ", title: "Doc", prose: true, styles: ["/s.css"] });
  const at = (h: string) => prose.indexOf(`href="${h}"`);
  assert.ok(at(a.href.css) < at(a.href.prose) && at(a.href.prose) < at("/s.css"));
  assert.match(s, /<title>Zones &lt;&amp;&gt; · MCNS<\/title>/);
  assert.ok(s.includes(`<link rel="stylesheet" href="${a.href.css}"/>`));
  assert.ok(s.includes(`<script src="${a.href.htmx}" defer=""></script>`));
  assert.match(s, /<link rel="icon" type="image\/svg\+xml" href="data:image\/svg\+xml,%3Csvg/);
  assert.match(s, /<a href="\/ui\/zones" aria-current="page">Zones<\/a>/);
  assert.match(s, /<a href="\/ui\/audit">Audit<\/a>/);
  assert.match(s, /<details class="kit-nav"><summary>Menu<\/summary>/);
  assert.match(s, /<p class="kit-flash kit-flash-ok" role="status" id="notice">Saved\.<\/p>/);
  assert.match(s, /<p class="kit-flash kit-flash-error" role="alert" id="error">Refused\.<\/p>/);
  assert.match(s, /<main id="main" class="kit-main">/);
  for (const tag of s.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\bsrc="/);
  assert.doesNotMatch(s, /\sstyle=/);
  assert.doesNotMatch(s, /<style/);
});

test("table: every cell labelled for the phone layout; an empty list shows its empty state", async () => {
  const columns = [
    { label: "Name", cell: (r: { name: string; n: number }) => r.name },
    { label: "Count", cell: (r: { name: string; n: number }) => String(r.n), kind: "num" as const },
  ];
  const empty = <EmptyState title="No things yet." action={<a href="#new">Add a thing</a>} />;
  const full = await html(
    <DataTable id="things" columns={columns} rows={[{ name: "<b>", n: 2 }]} empty={empty} />,
  );
  assert.match(full, /<table class="kit-table" id="things">/);
  assert.match(full, /<th scope="col">Name<\/th><th scope="col">Count<\/th>/);
  assert.match(
    full,
    /<td data-label="Name">&lt;b&gt;<\/td><td data-label="Count" class="kit-num">2<\/td>/,
  );
  const none = await html(<DataTable id="things" columns={columns} rows={[]} empty={empty} />);
  assert.doesNotMatch(none, /<table/);
  assert.match(none, /<div class="kit-empty"><p class="kit-empty-title">No things yet\.<\/p>/);
  assert.match(none, /<a href="#new">Add a thing<\/a>/);
});

test("JSON detail: compact preview, indented text on click, escaped, dash when empty", async () => {
  const s = await html(<JsonDetail value={'{"ip":"10.0.0.1","why":"</pre><script>"}'} />);
  assert.match(s, /^<details class="kit-detail"><summary>\{&quot;ip&quot;:&quot;10\.0\.0\.1&quot;/);
  assert.match(s, /<pre>\{\n {2}&quot;ip&quot;: &quot;10\.0\.0\.1&quot;,\n/);
  assert.ok(s.includes("&lt;/pre&gt;&lt;script&gt;"));
  assert.doesNotMatch(s, /<script>/);
  const long = await html(<JsonDetail value={{ list: "x".repeat(200) }} />);
  const preview = /<summary>(.*?)<\/summary>/.exec(long)?.[1] ?? "";
  assert.ok(preview.endsWith("…") && preview.length < 140, preview);
  assert.equal(await html(<JsonDetail value="{}" />), '<span class="kit-muted">—</span>');
  assert.match(await html(<JsonDetail value="not json" />), /<pre>not json<\/pre>/);
});

test("fields keep the value, mark the error and tie hint and message to the input", async () => {
  const s = await html(
    <Field name="username" label="Username" value={'a"b'} hint="Lower case." error="Taken." />,
  );
  assert.match(s, /<label for="f-username">Username<\/label>/);
  assert.match(s, /value="a&quot;b"/);
  assert.match(s, /aria-invalid="true" aria-describedby="f-username-hint f-username-error"/);
  assert.match(s, /<p class="kit-hint" id="f-username-hint">Lower case\.<\/p>/);
  assert.match(s, /<p class="kit-field-error" id="f-username-error">Taken\.<\/p>/);
  const ok = await html(<Field name="username" label="Username" value="erin" />);
  assert.doesNotMatch(ok, /aria-invalid|aria-describedby/);
  const pw = await html(<Field name="password" type="password" label="Password" value="secret" />);
  assert.doesNotMatch(pw, /secret/, "a password is never echoed back");
  const sel = await html(
    <SelectField
      name="type"
      label="Type"
      value="system"
      options={[
        { value: "human", label: "Human" },
        { value: "system", label: "System" },
      ]}
    />,
  );
  assert.match(
    sel,
    /<option value="human">Human<\/option><option value="system" selected="">System/,
  );
  const checks = await html(
    <CheckboxGroup
      name="roles"
      label="Roles"
      values={["user"]}
      error="Pick one."
      options={[
        { value: "admin", label: "admin" },
        { value: "user", label: "user" },
      ]}
    />,
  );
  assert.match(
    checks,
    /<fieldset id="f-roles" aria-invalid="true" aria-describedby="f-roles-error"><legend>Roles<\/legend>/,
  );
  assert.match(checks, /value="admin"\/>admin/);
  assert.match(checks, /value="user" checked=""\/>user/);
  const values = { a: "1", roles: ["x", "y"] };
  assert.equal(formValue(values, "a"), "1");
  assert.equal(formValue(values, "roles"), "x");
  assert.deepEqual(formValues(values, "roles"), ["x", "y"]);
  assert.deepEqual(formValues(values, "none"), []);
});

test("times: machine value in datetime, UTC text and title until the browser localises them", async () => {
  const at = Date.UTC(2026, 11, 6, 17, 32, 29, 450);
  assert.equal(formatUtc(at), "2026-12-06 17:32:29 UTC");
  const s = await html(<Time at={at} />);
  assert.equal(
    s,
    '<time class="kit-time" datetime="2026-12-06T17:32:29.450Z" title="2026-12-06 17:32:29 UTC">2026-12-06 17:32:29 UTC</time>',
  );
  assert.equal(await html(<Time at="never" />), "<span>never</span>");
});

test("flash: failures are alerts, news is a status", async () => {
  assert.match(await html(<FlashMessage kind="warn" text="Careful." />), /role="alert"/);
  assert.match(await html(<FlashMessage kind="info" text="Note." />), /role="status"/);
});

test("nav: the current item is the longest href at or above the path", () => {
  const items = [
    { href: "/ui/", label: "Me" },
    { href: "/ui/admin/accounts", label: "Accounts" },
    { href: "/ui/admin/accounts-old", label: "Old" },
  ];
  assert.equal(currentItem(items, "/ui/"), "/ui/");
  assert.equal(currentItem(items, "/ui/admin/accounts/erin"), "/ui/admin/accounts");
  assert.equal(currentItem(items, "/ui/admin/accounts"), "/ui/admin/accounts");
  assert.equal(currentItem(items, "/ui/admin/audit"), "/ui/");
  assert.equal(currentItem(items, "/elsewhere"), undefined);
  assert.equal(currentItem(items, undefined), undefined);
});
