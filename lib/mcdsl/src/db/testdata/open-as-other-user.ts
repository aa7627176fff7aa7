// Run by open.test.ts as an unprivileged user against a database file owned by root: chmod
// fails with EPERM, and openDatabase must warn and carry on. Prints the captured log records and
// the row count as JSON on stdout.
import { captureLogs } from "../../log/capture.ts";
import { openDatabase } from "../open.ts";

const cap = captureLogs("db-test");
const db = openDatabase(process.argv[2]!, { logger: cap.logger });
db.prepare("INSERT INTO t (v) VALUES ('written by another user')").run();
const rows = db.prepare("SELECT count(*) FROM t").pluck().get();
db.close();
process.stdout.write(JSON.stringify({ rows, logs: cap.records() }));
