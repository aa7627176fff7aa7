// Browser single sign-on: a Hono service using mcdsl/sso, a real mcias process and Debian
// Chromium. The browser starts at the service's /login and ends on its home page, signed in.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { serve } from "@hono/node-server";
import { ssoRoutes } from "@metacircular/mcdsl/sso";
import {
  launchBrowser,
  type MciasInstance,
  ssoClientToml,
  startMcias,
} from "@metacircular/testkit";
import { Hono } from "hono";

let m: MciasInstance;
let server: Server;
let serviceUrl: string;
let handler: (req: Request) => Response | Promise<Response> = () =>
  new Response("starting", { status: 503 });

before(async () => {
  // Listen first: the redirect URI (with its port) must be registered in MCIAS's config.
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: (req) => handler(req), hostname: "127.0.0.1", port: 0 }, () =>
      resolve(s as Server),
    ) as Server;
  });
  serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectUri = `${serviceUrl}/sso/callback`;
  m = await startMcias({
    extraToml: `${ssoClientToml("demo-web", redirectUri, "demo")}\n[policy]\ndefault = "allow"`,
  });
  await m.createAccount("carol", { password: "carol-password-123" });

  const app = new Hono();
  const session = ssoRoutes(app, {
    mciasUrl: m.url,
    serviceName: "demo",
    clientId: "demo-web",
    redirectUri,
    sessionKeys: randomBytes(32),
    secure: false, // plain HTTP on loopback in this test
  });
  app.get("/", (c) => {
    const s = session.get(c);
    return s ? c.html(`<p id="who">Signed in as ${s.username}</p>`) : c.redirect("/login");
  });
  handler = (req) => app.fetch(req);
});

after(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await m?.stop();
});

test("browser signs in through MCIAS and lands on the service with a session", async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${serviceUrl}/login`);
    await page.click("#sso-sign-in");
    await page.waitForURL(`${m.url}/sso/authorize?**`);
    await page.fill('input[name="username"]', "carol");
    await page.fill('input[name="password"]', "carol-password-123");
    await Promise.all([page.waitForURL(`${serviceUrl}/`), page.click('button[type="submit"]')]);
    assert.equal(await page.textContent("#who"), "Signed in as carol");
  } finally {
    await browser.close();
  }
});
