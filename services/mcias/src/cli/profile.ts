// The CLI profile, read once per process (npm start writes it; see mcdsl/cli profile).
import { loadProfile, type ProfileState } from "@metacircular/mcdsl/cli";

let cached: ProfileState | undefined;

export function cliProfile(): ProfileState {
  cached ??= loadProfile();
  return cached;
}
