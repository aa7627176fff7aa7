// The one method map of the MCIAS gRPC API (same access levels as the REST access map).
import type { MethodMap } from "@metacircular/mcdsl/grpc";

const P = "/metacircular.mcias.v1.";

/**
 * Authenticated methods that act on the presented token itself (REST access level "token"):
 * they take any of MCIAS's login or system tokens, whatever service it was issued for. Every
 * other authenticated method takes only tokens issued for MCIAS (src/auth/caller.ts).
 */
export const OWN_TOKEN_METHODS: ReadonlySet<string> = new Set([
  `${P}AuthService/Logout`,
  `${P}AuthService/RenewToken`,
]);

export const METHOD_MAP: MethodMap = {
  [`${P}AuthService/Login`]: "public",
  [`${P}AuthService/Logout`]: "authenticated",
  [`${P}AuthService/RenewToken`]: "authenticated",
  [`${P}AuthService/WhoAmI`]: "authenticated",
  [`${P}AuthService/BeginPasskeyRegistration`]: "authenticated",
  [`${P}AuthService/FinishPasskeyRegistration`]: "authenticated",
  [`${P}AuthService/ListPasskeys`]: "authenticated",
  [`${P}AuthService/DeletePasskey`]: "authenticated",
  [`${P}AuthService/BeginPasskeyLogin`]: "public",
  [`${P}AuthService/FinishPasskeyLogin`]: "public",

  [`${P}TokenService/ValidateToken`]: "public",
  [`${P}TokenService/ListRevocations`]: "public",
  [`${P}TokenService/IssueSystemToken`]: "admin",
  [`${P}TokenService/RevokeToken`]: "admin",
  [`${P}TokenService/ListTokens`]: "admin",

  [`${P}AccountService/CreateAccount`]: "admin",
  [`${P}AccountService/ListAccounts`]: "admin",
  [`${P}AccountService/GetAccount`]: "admin",
  [`${P}AccountService/DeleteAccount`]: "admin",
  [`${P}AccountService/SetAccountEnabled`]: "admin",
  [`${P}AccountService/SetRoles`]: "admin",
  [`${P}AccountService/ResetPassword`]: "admin",
  [`${P}AccountService/UnlockAccount`]: "admin",
  [`${P}AccountService/ListAccountPasskeys`]: "admin",
  [`${P}AccountService/DeleteAccountPasskey`]: "admin",

  [`${P}PolicyService/ListRules`]: "admin",
  [`${P}PolicyService/CreateRule`]: "admin",
  [`${P}PolicyService/UpdateRule`]: "admin",
  [`${P}PolicyService/DeleteRule`]: "admin",
  [`${P}PolicyService/TraceLogin`]: "admin",
  [`${P}PolicyService/DryRunPolicy`]: "admin",
  [`${P}PolicyService/LintPolicy`]: "admin",
  [`${P}PolicyService/ApplyPolicy`]: "admin",
  [`${P}PolicyService/ListPolicyVersions`]: "admin",
  [`${P}PolicyService/GetPolicyVersion`]: "admin",
  [`${P}PolicyService/RollbackPolicy`]: "admin",

  [`${P}AdminService/ListAuditEvents`]: "admin",
  [`${P}AdminService/VerifyAudit`]: "admin",
  [`${P}AdminService/RotateSigningKey`]: "admin",
};
