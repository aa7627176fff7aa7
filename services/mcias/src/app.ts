// Wires the domain modules together over one database. Transports (REST, gRPC, CLI) receive
// a Core and never touch SQL themselves.
import { AccountStore } from "./accounts/accounts.ts";
import { PasswordHasher } from "./accounts/passwords.ts";
import { AuditLog } from "./audit/audit-log.ts";
import type { MciasConfig } from "./config.ts";
import type { Db } from "./db/open.ts";
import { OidcKeyRing } from "./oidc/keys.ts";
import { PolicyStore } from "./policy/policy.ts";
import { PolicyVersions } from "./policy/versions.ts";
import { DeviceStore } from "./protection/devices.ts";
import { LoginThrottle } from "./protection/throttle.ts";
import { KeyRing } from "./tokens/keys.ts";
import { TokenService } from "./tokens/tokens.ts";
import { PasskeyService } from "./webauthn/passkeys.ts";

export interface Core {
  cfg: MciasConfig;
  db: Db;
  accounts: AccountStore;
  hasher: PasswordHasher;
  audit: AuditLog;
  policy: PolicyStore;
  /** Every state of the rule set, newest = live (policy/versions.ts). */
  policyVersions: PolicyVersions;
  throttle: LoginThrottle;
  /** Known devices: device tokens that pass the per-account throttle (protection/devices.ts). */
  devices: DeviceStore;
  keys: KeyRing;
  tokens: TokenService;
  /** WebAuthn passkeys: registration, listing, removal and assertion verification. */
  passkeys: PasskeyService;
  /** RS256 ID-token keys; present only when the OIDC provider is enabled ([oidc] issuer). */
  oidcKeys?: OidcKeyRing;
  now: () => number;
}

export function createCore(cfg: MciasConfig, db: Db, now: () => number = Date.now): Core {
  const accounts = new AccountStore(db, now);
  const maxTtlMs = Math.max(cfg.tokens.login_ttl_s * 1000, cfg.tokens.system_ttl_days * 86_400_000);
  const keys = new KeyRing(db, maxTtlMs, now);
  const audit = new AuditLog(db, now);
  return {
    cfg,
    db,
    accounts,
    hasher: new PasswordHasher(cfg.argon2),
    audit,
    policy: new PolicyStore(db, now),
    policyVersions: new PolicyVersions(db, now),
    throttle: new LoginThrottle(db, cfg.protection, now),
    devices: new DeviceStore(db, cfg.protection, now),
    keys,
    tokens: new TokenService(db, keys, cfg.tokens.issuer, now, cfg.oidc.issuer),
    passkeys: new PasskeyService({
      db,
      accounts,
      audit,
      webauthn: cfg.webauthn,
      now,
    }),
    ...(cfg.oidc.issuer !== undefined || cfg.oidc_clients.length > 0
      ? { oidcKeys: new OidcKeyRing(db, cfg.oidc.id_token_ttl_s * 1000, now) }
      : {}),
    now,
  };
}
