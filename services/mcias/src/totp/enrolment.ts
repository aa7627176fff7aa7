// TOTP enrolment (secret + otpauth URI + QR code, confirmed by a first code), recovery codes
// (single use, stored as SHA-256 digests) and the second-factor check used at login.
import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import QRCode from "qrcode";
import type { Account, AccountSecrets } from "../accounts/accounts.ts";
import type { Core } from "../app.ts";
import type { SecondFactorResult } from "../auth/second-factor.ts";
import { base32Encode, newTotpSecret, otpauthUri, verifyTotp } from "./totp.ts";

export const RECOVERY_CODE_COUNT = 10;

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

function normaliseRecovery(code: string): string {
  return code.toUpperCase().replace(/[^A-Z2-7]/g, "");
}

function recoveryDigest(code: string): string {
  return createHash("sha256")
    .update(`mcias-recovery:${normaliseRecovery(code)}`)
    .digest("hex");
}

export function newRecoveryCode(): string {
  const raw = base32Encode(randomBytes(10)).toLowerCase();
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}-${raw.slice(12, 16)}`;
}

export async function beginTotpEnrolment(core: Core, account: Account): Promise<TotpEnrolment> {
  if (account.totpEnabled)
    throw AppError.conflict("totp_already_enabled", "TOTP is already enabled");
  const secret = newTotpSecret();
  core.accounts.setTotp(account.id, secret, false);
  const uri = otpauthUri(core.cfg.tokens.issuer.toUpperCase(), account.username, secret);
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M" });
  core.audit.append({
    event: "totp_enrolment_started",
    outcome: "info",
    subject: account.username,
  });
  return { secret, otpauthUri: uri, qrSvg };
}

/** Confirms enrolment with a first valid code; returns fresh recovery codes (shown once). */
export function confirmTotpEnrolment(core: Core, account: Account, code: string): string[] {
  const s = core.accounts.secrets(account.username);
  if (!s?.totpSecret || s.account.totpEnabled)
    throw AppError.conflict("totp_not_pending", "no TOTP enrolment is pending");
  const step = verifyTotp(s.totpSecret, code, core.now());
  if (step === null) throw AppError.badRequest("invalid_totp_code", "the code is not valid");
  core.accounts.setTotp(account.id, s.totpSecret, true);
  core.accounts.consumeTotpStep(account.id, step);
  const codes = replaceRecoveryCodes(core, account);
  core.audit.append({ event: "totp_enabled", outcome: "success", subject: account.username });
  return codes;
}

export function replaceRecoveryCodes(core: Core, account: Account): string[] {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  core.db.transaction(() => {
    core.db.prepare("DELETE FROM recovery_codes WHERE account_id = ?").run(account.id);
    const ins = core.db.prepare("INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)");
    for (const c of codes) ins.run(account.id, recoveryDigest(c));
  })();
  return codes;
}

export function disableTotp(core: Core, account: Account, actor: string): void {
  core.accounts.setTotp(account.id, null, false);
  core.db.prepare("DELETE FROM recovery_codes WHERE account_id = ?").run(account.id);
  core.audit.append({
    event: "totp_disabled",
    outcome: "success",
    actor,
    subject: account.username,
  });
}

/** The account holder turns TOTP off, proving it with the password (401 invalid_credentials). */
export async function disableOwnTotp(core: Core, account: Account, password: string) {
  const s = core.accounts.secrets(account.username);
  if (!s?.passwordHash || !(await core.hasher.verify(s.passwordHash, password)))
    throw AppError.unauthenticated("password is wrong", "invalid_credentials");
  disableTotp(core, account, account.username);
}

/** A 6-digit TOTP code (refused when its step was already used) or a single-use recovery code. */
export function verifySecondFactor(
  core: Core,
  s: AccountSecrets,
  code: string,
): SecondFactorResult {
  if (!s.totpSecret) return { verified: false, method: "none" };
  if (/^\d{6}$/.test(code)) {
    const step = verifyTotp(s.totpSecret, code, core.now());
    if (step === null || !core.accounts.consumeTotpStep(s.account.id, step))
      return { verified: false, method: "totp" };
    return { verified: true, method: "totp" };
  }
  const used = core.db
    .prepare(
      "UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL",
    )
    .run(core.now(), s.account.id, recoveryDigest(code));
  if (used.changes !== 1) return { verified: false, method: "recovery_code" };
  core.audit.append({
    event: "recovery_code_used",
    outcome: "success",
    subject: s.account.username,
  });
  return { verified: true, method: "recovery_code" };
}
