// What a certificate may say: the checks every signing request passes before the CA key is used.
// Unknown critical options are refused (sshd refuses a certificate carrying one it does not know),
// user-only options stay off host certificates, and an empty principal list (which OpenSSH reads
// as "any principal") is never issued.
import { isIP } from "node:net";
import { AppError } from "@metacircular/mcdsl/errors";
import type { CertType } from "./certificate.ts";

const USER_FLAG_EXTENSIONS = new Set([
  "no-touch-required",
  "permit-X11-forwarding",
  "permit-agent-forwarding",
  "permit-port-forwarding",
  "permit-pty",
  "permit-user-rc",
]);

/** Extensions a user certificate gets when the request names none: an interactive shell. */
export const DEFAULT_USER_EXTENSIONS: Readonly<Record<string, string>> = { "permit-pty": "" };

const MAX_PRINCIPALS = 256;
const PRINCIPAL = /^[^\s,\p{Cc}]{1,255}$/u;
const KEY_ID = /^[\x20-\x7e]{1,256}$/;
/** A vendor extension or option: "name@domain". */
const VENDOR_NAME = /^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9.-]{1,190}$/;
const MAX_VALUE = 4096;

function bad(code: string, message: string): AppError {
  return AppError.badRequest(code, message);
}

export function checkKeyId(keyId: string): void {
  if (typeof keyId !== "string" || !KEY_ID.test(keyId))
    throw bad("invalid_key_id", "key id must be 1-256 printable characters");
}

export function checkPrincipals(principals: readonly string[]): string[] {
  if (!Array.isArray(principals) || principals.some((p) => typeof p !== "string")) {
    throw bad("invalid_principal", "principals are a list of strings");
  }
  if (principals.length === 0) {
    throw bad("principals_required", "a certificate names at least one principal");
  }
  if (principals.length > MAX_PRINCIPALS) {
    throw bad("invalid_principal", `at most ${MAX_PRINCIPALS} principals`);
  }
  for (const p of principals) {
    if (!PRINCIPAL.test(p))
      throw bad("invalid_principal", `principal ${JSON.stringify(p)} is not allowed`);
  }
  return [...new Set(principals)];
}

function checkSourceAddress(value: string): void {
  for (const entry of value.split(",")) {
    const [addr, len, ...rest] = entry.split("/");
    const family = isIP(addr ?? "");
    const max = family === 4 ? 32 : 128;
    const lenOk = len === undefined || (/^\d{1,3}$/.test(len) && Number(len) <= max);
    if (family === 0 || !lenOk || rest.length > 0) {
      throw bad(
        "invalid_option",
        `source-address entry ${JSON.stringify(entry)} is not an address/CIDR`,
      );
    }
  }
}

function checkValue(name: string, value: unknown, code: string): void {
  if (typeof value !== "string") throw bad(code, `${name}: value must be a string`);
  if (value.length > MAX_VALUE || /\p{Cc}/u.test(value)) {
    throw bad(code, `${name}: value too long or contains control characters`);
  }
}

function namesOf(map: unknown, code: string): string[] {
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    throw bad(code, "options and extensions are a map of name to string value");
  }
  return Object.keys(map);
}

export function checkCriticalOptions(certType: CertType, opts: Record<string, string>): void {
  const names = namesOf(opts, "invalid_option");
  if (certType === "host" && names.length > 0) {
    throw bad("invalid_option", "host certificates carry no critical options");
  }
  for (const name of names) {
    const value = opts[name] ?? "";
    checkValue(name, value, "invalid_option");
    if (name === "force-command" && value !== "") continue;
    if (name === "source-address" && value !== "") {
      checkSourceAddress(value);
      continue;
    }
    if (name === "verify-required" && value === "") continue;
    throw bad("invalid_option", `critical option ${name} is unknown or has a wrong value`);
  }
}

export function checkExtensions(certType: CertType, exts: Record<string, string>): void {
  for (const name of namesOf(exts, "invalid_extension")) {
    const value = exts[name] ?? "";
    checkValue(name, value, "invalid_extension");
    if (VENDOR_NAME.test(name)) continue;
    if (certType === "user" && USER_FLAG_EXTENSIONS.has(name) && value === "") continue;
    throw bad("invalid_extension", `extension ${name} is not allowed on a ${certType} certificate`);
  }
}
