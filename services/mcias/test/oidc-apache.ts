// Runs Debian's Apache httpd as a foreground child for the relying-party tests: its own
// ServerRoot, PidFile, logs and loopback Listen in a temp dir, modules loaded explicitly from
// /usr/lib/apache2/modules. When run as root (CI), httpd drops to www-data, so the temp dir
// is made world-readable (it holds only test material).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ChildService, makeTempDir, startProcess } from "@metacircular/testkit";

const MODULES = "/usr/lib/apache2/modules";
const BASE_MODULES = [
  ["mpm_prefork_module", "mod_mpm_prefork.so"],
  ["authn_core_module", "mod_authn_core.so"],
  ["authz_core_module", "mod_authz_core.so"],
  ["authz_user_module", "mod_authz_user.so"],
  ["include_module", "mod_include.so"],
  ["auth_openidc_module", "mod_auth_openidc.so"],
  ["oauth2_module", "mod_oauth2.so"],
];

export interface Apache {
  url: string;
  errorLog: string;
  output(): string;
  stop(): Promise<void>;
}

/** Writes a server-side-include page that prints the named environment variables. */
function page(dir: string, vars: string[]): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const body = vars.map((v) => `<p id="${v}"><!--#echo var="${v}" --></p>`).join("\n");
  writeFileSync(join(dir, "index.shtml"), `<!doctype html>\n${body}\n`, { mode: 0o644 });
}

/**
 * Starts httpd on `host`:`port` (127.0.0.1 unless given: another loopback address gives a
 * second relying party its own cookie jar in a browser) with the config text `build` returns
 * appended; `build` may write files (a CA bundle) readable by httpd with `put`, which returns
 * their path. The document root has /protected/index.shtml and /api/index.shtml echoing
 * identity variables and a static /signed-out.html.
 */
export async function startApache(
  port: number,
  build: (put: (name: string, content: string) => string) => string,
  host = "127.0.0.1",
): Promise<Apache> {
  const tmp = makeTempDir("mcias-apache-");
  chmodSync(tmp.path, 0o755);
  const put = (name: string, content: string) => {
    writeFileSync(tmp.join(name), content, { mode: 0o644 });
    return tmp.join(name);
  };
  const locations = build(put);
  const docs = tmp.join("htdocs");
  page(join(docs, "protected"), [
    "REMOTE_USER",
    "OIDC_CLAIM_preferred_username",
    "OIDC_CLAIM_roles",
  ]);
  page(join(docs, "api"), ["REMOTE_USER", "OAUTH2_CLAIM_username", "OAUTH2_CLAIM_aud"]);
  writeFileSync(
    join(docs, "signed-out.html"),
    '<!doctype html>\n<h1 id="signed-out">Signed out</h1>\n',
    { mode: 0o644 },
  );
  const errorLog = tmp.join("error.log");
  const conf = tmp.join("httpd.conf");
  const asRoot = process.getuid?.() === 0;
  writeFileSync(
    conf,
    [
      `ServerRoot "${tmp.path}"`,
      `DefaultRuntimeDir "${tmp.path}"`,
      `PidFile "${tmp.join("httpd.pid")}"`,
      `ErrorLog "${errorLog}"`,
      "LogLevel warn auth_openidc:info oauth2:info",
      `Listen ${host}:${port}`,
      `ServerName ${host}`,
      ...BASE_MODULES.map(([name, file]) => `LoadModule ${name} ${MODULES}/${file}`),
      ...(asRoot ? ["User www-data", "Group www-data"] : []),
      `DocumentRoot "${docs}"`,
      `<Directory "${docs}">`,
      "  Options +Includes",
      "  SetOutputFilter INCLUDES",
      "  Require all granted",
      "</Directory>",
      locations,
      "",
    ].join("\n"),
  );
  const proc: ChildService = startProcess("/usr/sbin/apache2", {
    args: ["-X", "-f", conf],
    tsx: false,
  });
  const url = `http://${host}:${port}`;
  // Ready when it answers HTTP (any status); give up if it exits first.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.proc.exitCode !== null)
      throw new Error(`apache2 exited: ${proc.output()}\n${readLog(errorLog)}`);
    try {
      await fetch(`${url}/`, { redirect: "manual" });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`apache2 did not listen: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    errorLog,
    output: () => `${proc.output()}\n${readLog(errorLog)}`,
    async stop() {
      await proc.stop(3000);
      tmp.remove();
    },
  };
}

function readLog(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
