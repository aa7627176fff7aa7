// ConfigError: one message naming the file, each offending key path and what was expected.
import type { z } from "zod";

export interface ConfigProblem {
  path: string;
  message: string;
  /** Where the value came from when not the file: "env MCNS_SERVER_LISTEN_ADDR", "$PORT". */
  source?: string;
}

export class ConfigError extends Error {
  readonly file: string;
  readonly problems: ConfigProblem[];

  constructor(file: string, problems: ConfigProblem[]) {
    const lines = problems.map(
      (p) => `  ${p.path || "(root)"}: ${p.message}${p.source ? ` (from ${p.source})` : ""}`,
    );
    super(`invalid config ${file}:\n${lines.join("\n")}`);
    this.name = "ConfigError";
    this.file = file;
    this.problems = problems;
  }
}

export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`))
    .join("");
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.message.includes("received undefined")) {
    return `required, expected ${issue.expected}`;
  }
  return issue.message.replace(/^Invalid input: /, "");
}
