// Run under a pseudo-terminal by read-password.test.ts: reads a password and writes what it got
// to $RESULT_FILE (never to the terminal).
import { writeFileSync } from "node:fs";
import { readPassword } from "../read-password.ts";

readPassword("Password: ").then(
  (pw) => writeFileSync(process.env.RESULT_FILE!, JSON.stringify({ ok: pw })),
  (e: Error) => writeFileSync(process.env.RESULT_FILE!, JSON.stringify({ error: e.message })),
);
