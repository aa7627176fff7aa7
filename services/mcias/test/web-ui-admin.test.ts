// Admin pages of the web UI against a real mcias process; every change is checked through
// the REST API. User-controlled text must come back HTML-escaped.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { json, type MciasInstance, startMcias } from "./helpers.ts";
import { csrfOf, UiClient } from "./web-ui-client.ts";

let m: MciasInstance;
let admin: UiClient;

before(async () => {
  m = await startMcias({
    extraToml: [
      "[[sso_clients]]",
      'client_id = "mcns-web"',
      'redirect_uri = "https://mcns.example/sso/callback"',
      'service_name = "mcns"',
      "[oidc]",
      'issuer = "https://mcias.example"',
      "[[oidc_clients]]",
      'client_id = "wiki"',
      'type = "public"',
      'redirect_uris = ["https://wiki.example/callback"]',
      'service_name = "wiki"',
      "[policy]",
      'default = "allow"',
    ].join("\n"),
  });
  admin = new UiClient(m.url);
  const res = await admin.login(m.adminUsername, m.adminPassword);
  assert.equal(res.status, 303, await res.text());
});
after(() => m?.stop());

async function account(name: string) {
  return json<{ status: string; roles: string[]; type: string }>(
    await m.api("GET", `/v1/accounts/${name}`),
  );
}

test("admin creates an account, changes roles, disables and deletes it", async () => {
  const list = await admin.get("/ui/admin/accounts");
  assert.equal(list.status, 200);
  const created = await admin.post("/ui/admin/accounts", {
    _csrf: csrfOf(await list.text()),
    username: "bob",
    type: "human",
    roles: ["user"],
    password: "bob-password-123",
  });
  assert.equal(created.status, 303, await created.clone().text());
  assert.equal(created.headers.get("location"), "/ui/admin/accounts/bob?done=account_created");
  assert.deepEqual((await account("bob")).roles, ["user"]);

  const csrf = await admin.csrf("/ui/admin/accounts/bob");
  const roles = await admin.post("/ui/admin/accounts/bob/roles", {
    _csrf: csrf,
    roles: ["user", "guest"],
  });
  assert.equal(roles.status, 303);
  assert.deepEqual((await account("bob")).roles.sort(), ["guest", "user"]);

  const bobToken = await json<{ token: string }>(
    await m.api("POST", "/v1/auth/login", { username: "bob", password: "bob-password-123" }),
  );
  assert.equal((await admin.post("/ui/admin/accounts/bob/disable", { _csrf: csrf })).status, 303);
  assert.equal((await account("bob")).status, "disabled");
  const v = await json<{ valid: boolean }>(
    await m.api("POST", "/v1/token/validate", { token: bobToken.token }),
  );
  assert.equal(v.valid, false, "disabling revoked bob's tokens");
  assert.equal((await admin.post("/ui/admin/accounts/bob/enable", { _csrf: csrf })).status, 303);
  assert.equal((await account("bob")).status, "active");

  const unsure = await admin.post("/ui/admin/accounts/bob/delete", { _csrf: csrf });
  assert.equal(unsure.status, 400);
  const del = await admin.post("/ui/admin/accounts/bob/delete", { _csrf: csrf, confirm: "yes" });
  assert.equal(del.status, 303);
  assert.equal((await m.api("GET", "/v1/accounts/bob")).status, 404);
});

test("a bad username is reported on the page, not as a crash", async () => {
  const res = await admin.post("/ui/admin/accounts", {
    _csrf: await admin.csrf("/ui/admin/accounts"),
    username: "<script>x</script>",
    type: "human",
    roles: ["guest"],
    password: "a-password-that-stays-secret",
  });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /role="alert"/);
  assert.doesNotMatch(html, /<script>x/);
  // The form comes back as typed (never the password), the username marked as the problem.
  assert.match(
    html,
    /<input id="f-username" name="username" type="text" value="&lt;script&gt;x&lt;\/script&gt;"[^>]*aria-invalid="true" aria-describedby="f-username-error"/,
  );
  assert.match(html, /<p class="kit-field-error" id="f-username-error">/);
  assert.match(html, /value="guest" checked=""/);
  assert.doesNotMatch(html, /a-password-that-stays-secret/);
});

test("system account: a token is issued and shown once; an enrolment code sets a password", async () => {
  const csrf = await admin.csrf("/ui/admin/accounts");
  await admin.post("/ui/admin/accounts", { _csrf: csrf, username: "svc-deploy", type: "system" });
  assert.equal((await account("svc-deploy")).type, "system");
  const issued = await admin.post("/ui/admin/accounts/svc-deploy/token", {
    _csrf: await admin.csrf("/ui/admin/accounts/svc-deploy"),
    audience: "mcns",
  });
  assert.equal(issued.status, 200);
  const token = /id="issued-token"[^>]*>([^<]+)</.exec(await issued.text())?.[1];
  assert.ok(token);
  const v = await json<{ valid: boolean; username: string }>(
    await m.api("POST", "/v1/token/validate", { token }),
  );
  assert.equal(v.username, "svc-deploy");

  await admin.post("/ui/admin/accounts", { _csrf: csrf, username: "dora" });
  const link = await admin.post("/ui/admin/accounts/dora/enrolment-link", {
    _csrf: await admin.csrf("/ui/admin/accounts/dora"),
    ttl_s: "86400",
  });
  const code = /id="enrolment-token"[^>]*>([^<]+)</.exec(await link.text())?.[1];
  assert.ok(code);
  const dora = new UiClient(m.url);
  const enrol = await dora.post("/ui/enrol", {
    _csrf: await dora.csrf("/ui/enrol"),
    token: code,
    password: "dora-password-123",
  });
  assert.equal(enrol.status, 303);
  const login = await m.api("POST", "/v1/auth/login", {
    username: "dora",
    password: "dora-password-123",
  });
  assert.equal(login.status, 200);
});

test("admin creates, edits and deletes a policy rule; text is escaped", async () => {
  const evil = "<script>alert('x')</script>";
  const res = await admin.post("/ui/admin/policies", {
    _csrf: await admin.csrf("/ui/admin/policies"),
    priority: "50",
    effect: "deny",
    roles: "guest",
    service_names: "mcns, mcproxy",
    tags: "",
    description: evil,
  });
  assert.equal(res.status, 303, await res.clone().text());
  type Rules = {
    rules: {
      id: number;
      priority: number;
      effect: string;
      service_names: string[];
      description: string;
    }[];
  };
  const rule = (await json<Rules>(await m.api("GET", "/v1/policies"))).rules.find(
    (r) => r.description === evil,
  );
  assert.ok(rule);
  assert.equal(rule.effect, "deny");
  assert.deepEqual(rule.service_names, ["mcns", "mcproxy"]);

  const page = await (await admin.get("/ui/admin/policies")).text();
  assert.doesNotMatch(page, /<script>alert/);
  assert.match(page, /&lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt;/);
  const audit = await (await admin.get("/ui/admin/audit?event=policy_created")).text();
  assert.match(audit, /policy_created/);
  assert.doesNotMatch(audit, /<script>alert/);

  const bad = await admin.post(`/ui/admin/policies/${rule.id}`, {
    _csrf: csrfOf(page),
    priority: "x",
    effect: "deny",
    description: "kept as typed",
  });
  assert.equal(bad.status, 400);
  const refused = await bad.text();
  assert.match(refused, /name="priority"[^>]* value="x"/, "a refused rule keeps what was typed");
  assert.match(refused, /<option value="deny" selected="">/);
  assert.match(refused, /value="kept as typed"/);
  const edit = await admin.post(`/ui/admin/policies/${rule.id}`, {
    _csrf: csrfOf(page),
    priority: "7",
    effect: "allow",
    description: "edited",
  });
  assert.equal(edit.status, 303);
  const got = await json<{ priority: number; effect: string }>(
    await m.api("GET", `/v1/policies/${rule.id}`),
  );
  assert.equal(got.priority, 7);
  assert.equal(got.effect, "allow");
  const del = await admin.post(`/ui/admin/policies/${rule.id}/delete`, { _csrf: csrfOf(page) });
  assert.equal(del.status, 303);
  assert.equal((await m.api("GET", `/v1/policies/${rule.id}`)).status, 404);
});

test("audit page filters and pages; chain verification; SSO clients are listed", async () => {
  const filtered = await (
    await admin.get("/ui/admin/audit?actor=admin&event=account_created")
  ).text();
  assert.match(filtered, /account_created/);
  assert.doesNotMatch(filtered, /<td>login_success<\/td>/);
  const verify = await admin.get("/ui/admin/audit/verify");
  assert.equal(verify.status, 200);
  assert.match(await verify.text(), /The chain is intact/);
  const sso = await (await admin.get("/ui/admin/sso-clients")).text();
  assert.match(sso, /mcns-web/);
  assert.match(sso, /https:\/\/mcns.example\/sso\/callback/);
  assert.match(sso, /<td data-label="Service">wiki<\/td>/);
  assert.match(sso, /OIDC public/);
});
