// Secrets for CLIs: from an environment variable when named and set (automation), otherwise
// from the terminal without echo or one line of piped stdin.
import { type ReadPasswordOptions, readPassword } from "../terminal/index.ts";

export interface SecretOptions extends ReadPasswordOptions {
  prompt: string;
  /** e.g. "MCIAS_PASSWORD"; read and used when set and non-empty. */
  envVar?: string;
  env?: NodeJS.ProcessEnv;
}

export async function readSecret(opts: SecretOptions): Promise<string> {
  const env = opts.env ?? process.env;
  const fromEnv = opts.envVar ? env[opts.envVar] : undefined;
  if (fromEnv) return fromEnv;
  return readPassword(opts.prompt, opts);
}
