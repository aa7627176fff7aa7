// Starts a real mcns instance in-process on port 0 with a temp SQLite file.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TokenValidator } from "@metacircular/mcdsl/http";
import { type Logger, silentLogger } from "@metacircular/mcdsl/log";
import { type McnsHandle, startMcns } from "../../src/app.ts";
import { configSchema } from "../../src/config.ts";
import { ApiOps } from "../../src/records/api-ops.ts";

export const ADMIN = { username: "test-admin", accountType: "human" as const, roles: ["admin"] };

export interface TestMcns extends McnsHandle {
  dir: string;
  stop(): Promise<void>;
}

export async function startTestMcns(
  extra: Record<string, unknown> = {},
  opts: { validator?: TokenValidator; noApi?: boolean; logger?: Logger } = {},
): Promise<TestMcns> {
  const dir = mkdtempSync(join(tmpdir(), "mcns-test-"));
  const raw: Record<string, unknown> = {
    server: { listen_addr: "127.0.0.1:0" },
    database: { path: join(dir, "mcns.sqlite") },
    log: { level: "silent" },
    ...extra,
    // Tests send bursts from one address: RRL is off unless a test sets it (or asks for the
    // default with `rate_limit: undefined`).
    dns: { listen_addr: "127.0.0.1:0", rate_limit: 0, ...(extra.dns as object | undefined) },
  };
  const cfg = configSchema.parse(raw);
  const o: Parameters<typeof startMcns>[1] = {
    logger: opts.logger ?? silentLogger(),
    noApi: opts.noApi ?? (!opts.validator && !extra.mcias),
  };
  if (opts.validator) o.validator = opts.validator;
  const h = await startMcns(cfg, o);
  return {
    ...h,
    dir,
    async stop() {
      if (h.db.open) await h.close();
      else await h.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const ZONE = "svc.mcp.metacircular.net";

/** A zone exercising every supported type, wildcard, CNAME chain, delegation and a large RRset. */
export const ZONE_FILE = `$ORIGIN svc.mcp.metacircular.net.
$TTL 3600
@        IN SOA ns1 hostmaster 2026010100 3600 600 1209600 300
@        IN NS  ns1
@        IN NS  ns2
ns1      300 IN A 10.0.0.1
ns2      300 IN A 10.0.0.2
@        300 IN MX 10 mail
@        300 IN TXT "v=spf1 -all" "second string"
@        300 IN CAA 0 issue "letsencrypt.org"
mail     300 IN A 10.0.0.3
mcq      300 IN A 100.95.252.120
mcq      300 IN AAAA 2001:db8::120
www      300 IN CNAME web
web      300 IN CNAME mcq
outside  300 IN CNAME example.org.
_https._tcp 300 IN SRV 10 5 443 mcq
120      300 IN PTR mcq.svc.mcp.metacircular.net.
*.apps   300 IN A 10.0.9.9
*.apps   300 IN TXT "wildcard"
big      300 IN TXT "${"a".repeat(200)}" "${"b".repeat(200)}"
big      300 IN TXT "${"c".repeat(200)}" "${"d".repeat(200)}"
private  300 IN TYPE65400 \\# 4 deadbeef
deep.ent.x 300 IN A 10.0.0.5
sub      300 IN NS ns.sub
ns.sub   300 IN A 10.0.0.53
`;

export function loadTestZone(h: McnsHandle, zone = ZONE, text = ZONE_FILE): void {
  const ops = new ApiOps(h.store);
  ops.createZone(ADMIN, { name: zone });
  ops.importZone(ADMIN, zone, text);
}
