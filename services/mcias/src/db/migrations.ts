// Numbered schema migrations for the MCIAS database. Applied in order, each in its own
// transaction, and recorded in schema_migrations.
import type { Migration } from "@metacircular/mcdsl/db";

export type { Migration };

export const migrations: Migration[] = [
  {
    version: 1,
    name: "core",
    up: `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('human','system')),
  roles TEXT NOT NULL DEFAULT '[]',
  password_hash TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled','deleted')),
  totp_secret TEXT,
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE UNIQUE INDEX accounts_live_username ON accounts(username) WHERE status != 'deleted';

CREATE TABLE recovery_codes (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  code_hash TEXT NOT NULL,
  used_at INTEGER
);
CREATE INDEX recovery_codes_account ON recovery_codes(account_id);

CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  private_pem TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retired_at INTEGER
);

CREATE TABLE tokens (
  jti TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  kind TEXT NOT NULL CHECK (kind IN ('login','system')),
  audience TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  revoke_reason TEXT
);
CREATE INDEX tokens_account ON tokens(account_id);

CREATE TABLE revocations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  jti TEXT NOT NULL,
  revoked_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE policy_rules (
  id INTEGER PRIMARY KEY,
  priority INTEGER NOT NULL,
  effect TEXT NOT NULL CHECK (effect IN ('allow','deny')),
  roles TEXT NOT NULL DEFAULT '[]',
  account_types TEXT NOT NULL DEFAULT '[]',
  service_names TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '[]',
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  event TEXT NOT NULL,
  actor TEXT,
  subject TEXT,
  ip TEXT,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE login_throttle (
  username TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL
);

CREATE TABLE enrolment_links (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  created_by TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
`,
  },
  {
    version: 2,
    name: "revocation_feed_kinds",
    // 'changed' entries tell caching clients to re-validate (roles changed) without revoking.
    up: `ALTER TABLE revocations ADD COLUMN kind TEXT NOT NULL DEFAULT 'revoked'
           CHECK (kind IN ('revoked', 'changed'));`,
  },
  {
    version: 3,
    name: "passkeys",
    // WebAuthn credentials: the COSE public key, the signature counter (clone detection) and
    // the account they log in. credential_id is the authenticator's id, base64url.
    up: `
CREATE TABLE passkeys (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  credential_id TEXT NOT NULL UNIQUE,
  public_key BLOB NOT NULL,
  counter INTEGER NOT NULL DEFAULT 0,
  transports TEXT NOT NULL DEFAULT '[]',
  device_type TEXT NOT NULL DEFAULT 'singleDevice',
  backed_up INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX passkeys_account ON passkeys(account_id);
`,
  },
  {
    version: 4,
    name: "oidc_provider",
    // OpenID Connect: RS256 ID-token keys (rotated like the Ed25519 ring), the OAuth metadata
    // of each access token (client, scope, grant) and refresh tokens (SHA-256 digests only).
    up: `
CREATE TABLE oidc_signing_keys (
  kid TEXT PRIMARY KEY,
  alg TEXT NOT NULL,
  private_pem TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- NULL: the pre-published next key (in the JWKS, not signing yet)
  activated_at INTEGER,
  retired_at INTEGER
);
CREATE TABLE oidc_tokens (
  jti TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  scope TEXT NOT NULL,
  auth_time INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX oidc_tokens_grant ON oidc_tokens(grant_id);
CREATE TABLE oidc_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  scope TEXT NOT NULL,
  auth_time INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX oidc_refresh_grant ON oidc_refresh_tokens(grant_id);
CREATE TABLE oidc_clients (
  client_id TEXT PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('confidential','public')),
  secret_sha256 TEXT,
  redirect_uris TEXT NOT NULL,
  service_name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`,
  },
  {
    version: 5,
    name: "token_auth_time",
    // When the user last proved who they are (login); renewals carry it over, so "signed in
    // recently" cannot be refreshed with a stolen token. NULL on older rows means issued_at.
    up: "ALTER TABLE tokens ADD COLUMN auth_time INTEGER;",
  },
  {
    version: 6,
    name: "oidc_post_logout_redirect_uris",
    // RP-initiated logout: where each run-time client may send the browser after sign-out.
    up: "ALTER TABLE oidc_clients ADD COLUMN post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]';",
  },
  {
    version: 7,
    name: "login_devices",
    // Device tokens (OWASP "device cookies"): a client that signed in as an account gets a
    // random secret (only its SHA-256 is kept) that lets it skip the per-account throttle;
    // each device has its own failure count and lock instead.
    up: `
CREATE TABLE login_devices (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  secret_sha256 TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  first_failure_at INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_devices_account ON login_devices(account_id);
`,
  },
  {
    version: 8,
    name: "policy_versions",
    // Every state of the login-policy rule set, newest last: the rules as JSON (with their ids,
    // so that a rollback restores the same rule identities), who made it and how. Version 1 is
    // the rule set as it stood when this migration ran.
    up: `
CREATE TABLE policy_versions (
  version INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('initial','edit','apply','rollback')),
  comment TEXT NOT NULL DEFAULT '',
  restored_from INTEGER,
  rules TEXT NOT NULL
);
INSERT INTO policy_versions (version, created_at, actor, kind, comment, rules)
SELECT 1, CAST(strftime('%s','now') AS INTEGER) * 1000, 'system', 'initial', '',
  COALESCE((SELECT json_group_array(json_object('id', id, 'priority', priority, 'effect', effect,
    'roles', json(roles), 'account_types', json(account_types), 'service_names', json(service_names),
    'tags', json(tags), 'description', description)) FROM (SELECT * FROM policy_rules ORDER BY priority, id)), '[]');
CREATE INDEX audit_log_event_seq ON audit_log(event, seq);
`,
  },
];
