// mciasctl audit commands, plus backup and restore of the database file.
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { openDatabase, snapshot } from "@metacircular/mcdsl/db";
import Database from "better-sqlite3";
import type { Command } from "commander";
import { AuditLog, type VerifyResult } from "../audit/audit-log.ts";
import { CliError, call, output, table } from "./context.ts";

function verifyOffline(path: string): VerifyResult {
  if (!existsSync(path)) throw new CliError("not_found", `no database at ${path}`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return new AuditLog(db).verify();
  } finally {
    db.close();
  }
}

/** Refuses a snapshot that is damaged or not an MCIAS database. */
function checkSnapshot(path: string): void {
  const src = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const ok = src.pragma("integrity_check", { simple: true });
    if (ok !== "ok")
      throw new CliError("integrity_check_failed", `snapshot failed integrity_check: ${ok}`);
    const hasAccounts = src
      .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='accounts'")
      .get();
    if (!hasAccounts) throw new CliError("invalid_snapshot", "snapshot is not an MCIAS database");
  } finally {
    src.close();
  }
}

/** Puts `from` in place of the database `db` (atomic rename; stale WAL and SHM removed). */
function replaceDatabase(db: string, from: string, force: boolean): void {
  const wal = `${db}-wal`;
  if (!force && existsSync(wal) && statSync(wal).size > 0)
    throw new CliError(
      "database_in_use",
      `${wal} is not empty: is mcias still running? stop it or pass --force`,
    );
  const tmp = `${db}.restore-${process.pid}`;
  copyFileSync(from, tmp);
  rmSync(wal, { force: true });
  rmSync(`${db}-shm`, { force: true });
  renameSync(tmp, db);
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command("audit").description("the hash-chained audit log");
  registerAuditList(audit);
  registerAuditVerify(audit);
  registerBackupCommands(program);
}

function registerAuditList(audit: Command): void {
  audit
    .command("list")
    .description("list audit events, newest first")
    .option("--event <event>")
    .option("--actor <username>")
    .option("--subject <username>")
    .option("--limit <n>", "rows, newest first", "50")
    .action(async function (
      this: Command,
      o: { event?: string; actor?: string; subject?: string; limit: string },
    ) {
      const q = new URLSearchParams({ limit: o.limit });
      if (o.event) q.set("event", o.event);
      if (o.actor) q.set("actor", o.actor);
      if (o.subject) q.set("subject", o.subject);
      const r = await call(this, "GET", `/v1/audit?${q}`);
      output(this, r, () =>
        table(
          (r.events as Record<string, unknown>[]).map((e) => ({
            ...e,
            detail: JSON.stringify(e.detail),
          })),
          ["seq", "time", "event", "outcome", "actor", "subject", "ip", "detail"],
        ),
      );
    });
}

function registerAuditVerify(audit: Command): void {
  audit
    .command("verify")
    .description("check the hash chain; exits 1 when a row was edited or deleted")
    .option("--db <file>", "verify a database file directly instead of asking the server")
    .action(async function (this: Command, o: { db?: string }) {
      const r = o.db
        ? verifyOffline(o.db)
        : ((await call(this, "GET", "/v1/audit/verify")) as unknown as VerifyResult);
      output(this, r, () =>
        r.ok
          ? `audit log intact: ${r.rows} rows`
          : `AUDIT LOG TAMPERED (${r.rows} rows):\n${r.problems.map((p) => `  seq ${p.seq}: ${p.problem}`).join("\n")}`,
      );
      if (!r.ok) process.exitCode = 1;
    });
}

function registerBackupCommands(program: Command): void {
  program
    .command("backup")
    .description("online, consistent snapshot of the database (safe while the server runs)")
    .requiredOption("--db <file>", "the live database")
    .requiredOption("--out <file>", "snapshot to write")
    .action(async function (this: Command, o: { db: string; out: string }) {
      if (!existsSync(o.db)) throw new CliError("not_found", `no database at ${o.db}`);
      const db = openDatabase(o.db);
      try {
        const r = await snapshot(db, o.out);
        output(this, { out: o.out, pages: r.pages }, () => `wrote ${o.out} (${r.pages} pages)`);
      } finally {
        db.close();
      }
    });

  program
    .command("restore")
    .description("replace the database with a snapshot (stop the server first)")
    .requiredOption("--db <file>", "the database to replace")
    .requiredOption("--from <file>", "snapshot made by `mciasctl backup`")
    .option("--force", "restore even though a write-ahead log suggests the server is running")
    .action(async function (this: Command, o: { db: string; from: string; force?: boolean }) {
      checkSnapshot(o.from);
      replaceDatabase(o.db, o.from, o.force === true);
      output(this, { restored: o.db, from: o.from }, () => `restored ${o.db} from ${o.from}`);
    });
}
