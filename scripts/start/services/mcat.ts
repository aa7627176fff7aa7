// MCAT, the login-policy tester: plain HTTP on loopback behind MC-Proxy's L7 route
// https://mcat.localhost:<web port>. It reaches MCIAS's policy tools with the token of the
// system account `mcat` (MCIAS lists it in [policy] tool_accounts): while the first admin's
// generated password still works, the health probe creates that account and its token file
// (<data>/mcat/mcias.token) once; otherwise "Next" shows the two mciasctl commands. Its UI signs
// in through MCIAS SSO.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { JsonClient } from "@metacircular/mcdsl/auth";
import { loginFirstAdmin, recordSetupSkipped } from "../admin-password.ts";
import type { PlatformContext, ServiceDescriptor } from "../descriptor.ts";
import {
  GENERATED,
  httpHealthy,
  l7Route,
  local,
  loopback,
  mciasSection,
  q,
  serverLaunch,
  sessionKeyFile,
  ssoSection,
  webSso,
  writeToml,
} from "./common.ts";
import { systemAccountTokens } from "./system-account.ts";

const HOST = "mcat.localhost";
const sso = webSso(HOST, "mcat");

const tokenFile = (c: PlatformContext) => join(c.layout.service("mcat").dir, "mcias.token");

function toml(c: PlatformContext): string {
  return `${GENERATED}[server]
listen_addr = ${local(c.port("mcatHttp"))}
shutdown_timeout_ms = 3000

${mciasSection(c, "mcat")}admin_token_file = ${q(tokenFile(c))}

${ssoSection(c, sso(c))}
[web]
session_key_file = ${q(sessionKeyFile(c, "mcat"))}
`;
}

/** Set-up given up for good (the first admin's password refused): no probe tries again. */
const skippedFile = (c: PlatformContext) => join(c.layout.service("mcat").dir, "setup-skipped");

/** Creates the `mcat` system account and its MCIAS token with the first admin's password. */
async function provisionToken(c: PlatformContext): Promise<void> {
  const file = tokenFile(c);
  if (existsSync(file) || existsSync(skippedFile(c))) return;
  const mcias = `http://${loopback(c.port("mciasHttp"))}`;
  const login = await loginFirstAdmin(mcias, c.layout.passwordFile, "mcias");
  if (login.kind === "refused") return recordSetupSkipped(skippedFile(c), "mcat", login.reason);
  const client = new JsonClient(mcias);
  try {
    await systemAccountTokens(client, login.token, "mcat", { mcias: file });
  } finally {
    client.close();
  }
}

export const mcat: ServiceDescriptor = {
  name: "mcat",
  envPrefixes: ["MCAT_"],
  ports: [{ key: "mcatHttp", offset: 15, label: "MCAT web UI" }],
  routes: l7Route(HOST, "mcatHttp"),
  ssoClient: sso,
  writeConfig: writeToml("mcat", toml),
  launch: serverLaunch("mcat"),
  // Healthy once it answers and, while the first admin's password works, its token exists
  // (MCIAS may still be starting on the first probes).
  healthy: async (c) => {
    await provisionToken(c).catch(() => undefined);
    const waiting = !existsSync(tokenFile(c)) && !existsSync(skippedFile(c));
    return !waiting && (await httpHealthy(c.port("mcatHttp")));
  },
  ready: (c) => [
    {
      title: "MCAT",
      url: c.origin(HOST),
      direct: `http://${loopback(c.port("mcatHttp"))}`,
      credentials: "an MCIAS admin",
    },
  ],
  nextSteps: (c) => [
    `  # MCAT (login-policy tester): open ${c.origin(HOST)}; without ${tokenFile(c)}:`,
    "  #   npx mciasctl account create --type system mcat",
    `  #   npx mciasctl token issue mcat --audience mcias > ${tokenFile(c)}`,
  ],
  profile: {
    key: "mcat",
    entry: (c) => ({ url: `http://${loopback(c.port("mcatHttp"))}`, web_url: c.origin(HOST) }),
  },
};
