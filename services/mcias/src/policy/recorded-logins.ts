// The login contexts MCIAS recorded: every `policy_decision` audit event carries the service,
// tags, deciding rule and effect, and (since policy versions) the account's roles and type at
// the time. Older events without roles are completed from the account as it is now; events
// whose account is gone and who carry no roles are skipped and counted.
import type { AccountType, Role } from "../accounts/accounts.ts";
import type { Core } from "../app.ts";
import type { Effect } from "./engine.ts";
import type { RecordedLogin } from "./replay.ts";

interface DecisionDetail {
  service?: string;
  tags?: string[];
  rule?: number | null;
  effect?: Effect;
  roles?: Role[];
  account_type?: AccountType;
}

export interface RecordedLogins {
  logins: RecordedLogin[];
  skipped: number;
}

export const MAX_REPLAY = 10_000;

function accountFacts(
  core: Core,
  cache: Map<string, { roles: Role[]; type: AccountType } | null>,
  name: string,
) {
  if (!cache.has(name)) {
    try {
      const a = core.accounts.get(name);
      cache.set(name, { roles: a.roles, type: a.type });
    } catch {
      cache.set(name, null);
    }
  }
  return cache.get(name) ?? null;
}

/** The newest `limit` recorded login decisions (at most MAX_REPLAY), newest first. */
export function recordedLogins(core: Core, limit: number): RecordedLogins {
  const n = Math.min(Math.max(Math.trunc(limit) || 0, 1), MAX_REPLAY);
  const rows = core.db
    .prepare(
      "SELECT seq, ts, subject, detail FROM audit_log WHERE event = 'policy_decision' ORDER BY seq DESC LIMIT ?",
    )
    .all(n) as { seq: number; ts: number; subject: string | null; detail: string }[];
  const cache = new Map<string, { roles: Role[]; type: AccountType } | null>();
  const logins: RecordedLogin[] = [];
  let skipped = 0;
  for (const row of rows) {
    const d = JSON.parse(row.detail) as DecisionDetail;
    const username = row.subject ?? "";
    const facts =
      d.roles && d.account_type
        ? { roles: d.roles, type: d.account_type }
        : accountFacts(core, cache, username);
    if (!facts || !d.service || !d.effect) {
      skipped++;
      continue;
    }
    logins.push({
      seq: row.seq,
      ts: row.ts,
      username,
      ctx: {
        roles: facts.roles,
        accountType: facts.type,
        serviceName: d.service,
        tags: d.tags ?? [],
      },
      decision: { effect: d.effect, ruleId: d.rule ?? null },
    });
  }
  return { logins, skipped };
}

/** The ids of rules that decided a login since `sinceMs` (coverage). */
export function matchedRuleIds(core: Core, sinceMs: number): Set<number> {
  const rows = core.db
    .prepare(
      `SELECT DISTINCT json_extract(detail, '$.rule') AS rule FROM audit_log
       WHERE event = 'policy_decision' AND ts >= ? AND json_extract(detail, '$.rule') IS NOT NULL`,
    )
    .all(sinceMs) as { rule: number }[];
  return new Set(rows.map((r) => r.rule));
}
