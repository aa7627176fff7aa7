// mciasctl's device token (README "Known devices"): one line in a file only its owner can read.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** The stored token, or undefined when the file does not exist yet. */
export function readDeviceToken(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const token = readFileSync(file, "utf8").trim();
  return token === "" ? undefined : token;
}

/** Replaces the stored token atomically (write to a temp file, then rename), mode 0600. */
export function writeDeviceToken(file: string, token: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
