// MCIAS's policy-tool answers as MCAT reads them (the REST shapes of MCIAS's
// src/policy/records.ts; MCAT never evaluates a policy itself).
export type Effect = "allow" | "deny";

export interface Rule {
  id: number;
  priority: number;
  effect: Effect;
  roles: string[];
  account_types: string[];
  service_names: string[];
  tags: string[];
  description: string;
}

export interface LiveRules {
  default: Effect;
  rules: Rule[];
}

export interface TraceStep {
  rule: Rule;
  matched: boolean;
  mismatches: { criterion: string; explanation: string }[];
}

export interface TraceAnswer {
  account: { username: string; type: string; roles: string[]; status: string };
  service_name: string;
  tags: string[];
  credentials: "not_checked" | "valid" | "invalid" | "unusable";
  second_factor_required: boolean;
  version: number | null;
  default: Effect;
  effect: Effect;
  rule: number | null;
  would_log_in: boolean;
  steps: TraceStep[];
}

export interface DecisionChange {
  seq: number;
  time: string;
  username: string;
  roles: string[];
  account_type: string;
  service_name: string;
  tags: string[];
  before: { effect: Effect; rule: number | null };
  after: { effect: Effect; rule: number | null };
}

export interface DryRunAnswer {
  version: number;
  replayed: number;
  skipped: number;
  rule_changes: number;
  changes: DecisionChange[];
}

export interface LintFinding {
  kind: string;
  severity: "error" | "warning" | "info";
  rule: number;
  other_rule: number | null;
  names: string[];
  message: string;
}

export interface LintAnswer {
  version: number | null;
  findings: LintFinding[];
}

export interface PolicyVersion {
  version: number;
  created_at: string;
  actor: string;
  kind: string;
  comment: string;
  restored_from: number | null;
  rules: Rule[];
}

export interface VersionList {
  current: number;
  versions: PolicyVersion[];
}
