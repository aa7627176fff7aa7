// Test helpers shared by the MCIAS integration tests.
// startMcias lives in lib/testkit/src/mcias.ts; it is re-exported here so the tests switch to
// `@metacircular/testkit` with one line once the kit's index exports it.
export { type MciasInstance, startMcias } from "../../../lib/testkit/src/mcias.ts";

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export function loginBody(username: string, password: string, extra: Record<string, unknown> = {}) {
  return { username, password, ...extra };
}
