// What a second factor (or a first factor that counts as two, such as a passkey) proved: the
// shape login.ts finishes a sign-in with and totp/enrolment.ts produces.
export interface SecondFactorResult {
  verified: boolean;
  method: "none" | "totp" | "recovery_code" | "passkey";
}
