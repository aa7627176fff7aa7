// Settings for CLIs, resolved as flag > environment variable > profile > built-in default.
// Each becomes a commander Option, so `--help` shows the environment variable and where the
// default comes from ("from profile <path>" when the profile supplies it).
import { type Command, Option } from "commander";
import type { CliProfile, ProfileState } from "./profile.ts";

export interface SettingSpec {
  /** Commander flags, e.g. "--server <url>". */
  flags: string;
  description: string;
  /** Environment variable, e.g. "MCIAS_URL". */
  env: string;
  /** The value the profile supplies, when one is loaded. */
  fromProfile?: (p: CliProfile) => string | null | undefined;
  /** Built-in default when neither flag, env nor profile give a value. */
  fallback?: string;
  /** Secret values (tokens): never shown as a default in --help. */
  secret?: boolean;
}

export function settingOption(spec: SettingSpec, profile: ProfileState): Option {
  const opt = new Option(spec.flags, spec.description).env(spec.env);
  const fromProfile =
    profile.state === "loaded" ? (spec.fromProfile?.(profile.profile) ?? undefined) : undefined;
  if (fromProfile !== undefined) {
    opt.default(fromProfile, spec.secret ? "from profile" : `${fromProfile}, from profile`);
  } else if (spec.fallback !== undefined) {
    opt.default(spec.fallback, spec.secret ? "built in" : undefined);
  }
  return opt;
}

/** Adds every setting as a global option of `program`. */
export function addSettings(program: Command, specs: SettingSpec[], profile: ProfileState): void {
  for (const s of specs) program.addOption(settingOption(s, profile));
}

/** One line for stderr when the profile exists but cannot be used; undefined otherwise. */
export function profileWarning(profile: ProfileState): string | undefined {
  return profile.state === "invalid"
    ? `warning: ignoring the CLI profile ${profile.path}: ${profile.reason}\n`
    : undefined;
}
