// `mcns zone-import` as operators run it (a real process on a real database): one transaction
// (a bad file leaves no zone and no records behind, the first error names its line), and the
// file's SOA serial and fields are kept unless --increment-serial.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { ApiOps } from "../src/records/api-ops.ts";
import { nextSerial } from "../src/records/validate.ts";
import { ADMIN, startTestMcns } from "./helpers/mcns.ts";
import { TYPES_ZONE, TYPES_ZONE_FILE } from "./helpers/types-zone.ts";

const run = promisify(execFile);
const MCNS = resolve(import.meta.dirname, "../src/cmd/mcns.ts");

let dir: string;
let cfg: string;

async function mcns(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, ["--import", "tsx", MCNS, ...args, "--config", cfg]);
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "mcns-import-"));
  cfg = file(
    "mcns.toml",
    `[server]\nlisten_addr = "127.0.0.1:0"\n[database]\npath = "${join(dir, "mcns.sqlite")}"\n[log]\nlevel = "warn"\n`,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

const HEAD = `$ORIGIN half.example.
$TTL 300
@ IN SOA ns1 hostmaster 7 3600 600 1209600 60
@ IN NS ns1
ns1 IN A 192.0.2.1
`;

test("a file that fails late creates no zone; the error names the line and the reason", async () => {
  // Line 7 breaks an invariant only the store checks (CNAME beside other data).
  const bad = file(
    "late.db",
    `${HEAD}www IN A 192.0.2.2\nwww IN CNAME ns1\nafter IN A 192.0.2.3\n`,
  );
  const r = await mcns("zone-import", "--zone", "half.example", bad);
  assert.equal(r.code, 1);
  assert.match(r.err, /cname_conflict: line 7: /);
  const exp = await mcns("zone-export", "--zone", "half.example");
  assert.equal(exp.code, 1);
  assert.match(exp.err, /zone_not_found/);
});

test("a syntax error creates no zone either and names its line", async () => {
  const bad = file("syntax.db", `${HEAD}tlsa IN TLSA 3 1 1 abcd\n`);
  const r = await mcns("zone-import", "--zone", "half.example", bad);
  assert.equal(r.code, 1);
  assert.match(r.err, /bad_digest_length: line 6: TLSA matching type 1 needs 32 octets/);
  assert.match((await mcns("zone-export", "--zone", "half.example")).err, /zone_not_found/);
});

test("the file's serial and SOA fields are kept; --increment-serial asks for a new serial", async () => {
  const f = file("types.db", TYPES_ZONE_FILE);
  const r = await mcns("zone-import", "--zone", TYPES_ZONE, f);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /serial 2024061501, zone created/);
  const soa = /IN\tSOA\t(.*)/.exec((await mcns("zone-export", "--zone", TYPES_ZONE)).out)?.[1];
  assert.equal(soa, "ns1.types.example. hostmaster.types.example. 2024061501 7200 900 1209600 300");
  const again = await mcns("zone-import", "--zone", TYPES_ZONE, "--increment-serial", f);
  assert.equal(again.code, 0, again.err);
  const serial = Number(/serial (\d+)/.exec(again.out)?.[1]);
  assert.equal(serial, nextSerial(2024061501));
});

test("a failed import into an existing zone keeps its records and serial; API changes bump", async (t) => {
  const m = await startTestMcns({}, { noApi: true });
  t.after(() => m.stop());
  const ops = new ApiOps(m.store);
  const first = ops.importZone(ADMIN, "half.example", HEAD, { create: true });
  assert.equal(first.serial, 7);
  assert.throws(
    // Fails inside the transaction, after the old records were deleted: all of it rolls back.
    () => ops.importZone(ADMIN, "half.example", `${HEAD}x IN A 192.0.2.9\nx IN CNAME ns1\n`),
    (e: Error & { code?: string }) => e.code === "cname_conflict" && /^line 7: /.test(e.message),
  );
  assert.equal(ops.getZone(ADMIN, "half.example").serial, 7);
  assert.deepEqual(
    ops.listRecords(ADMIN, "half.example", {}).map((r) => `${r.name} ${r.type}`),
    ["@ NS", "ns1 A"],
  );
  ops.createRecord(ADMIN, "half.example", { name: "new", type: "A", value: "192.0.2.7" });
  assert.equal(ops.getZone(ADMIN, "half.example").serial, nextSerial(7));
});
