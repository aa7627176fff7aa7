// A real MCIAS (child process, with Metacrypt's SSO client registered) and an in-process
// metacrypt with the web UI on a loopback port, its tokens validated by that MCIAS.
import { freePort, type MciasInstance, startMcias } from "@metacircular/testkit";
import { client, startTestMetacrypt, type TestMetacrypt } from "./metacrypt.ts";
import { loginFor } from "./process.ts";

export const USER_PASSWORD = "correct-horse-battery-staple";

export interface WebStack {
  mcias: MciasInstance;
  mc: TestMetacrypt;
  url: string;
  /** A JSON client with an MCIAS admin token for metacrypt. */
  admin: ReturnType<typeof client>;
}

export async function startWebStack(t: { after(fn: () => unknown): void }): Promise<WebStack> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const mcias = await startMcias({
    extraToml: [
      "[[sso_clients]]",
      'client_id = "metacrypt-web"',
      `redirect_uri = "${url}/sso/callback"`,
      'service_name = "metacrypt"',
      "[policy]",
      'default = "allow"',
    ].join("\n"),
  });
  t.after(() => mcias.stop());
  await mcias.createAccount("alice", { password: USER_PASSWORD, roles: ["user"] });
  const mc = await startTestMetacrypt({
    server: { listen_addr: `127.0.0.1:${port}` },
    mcias: { server_url: mcias.url, service_name: "metacrypt" },
    sso: { client_id: "metacrypt-web", redirect_uri: `${url}/sso/callback` },
    web: { secure_cookies: false },
  });
  t.after(() => mc.stop());
  return { mcias, mc, url, admin: client(url, await loginFor(mcias)) };
}
