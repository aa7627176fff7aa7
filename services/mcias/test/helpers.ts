// Test helpers shared by the MCIAS integration tests.
// startMcias (lib/testkit) is re-exported so every test imports its helpers from one place.
export { type MciasInstance, startMcias } from "@metacircular/testkit";

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export function loginBody(username: string, password: string, extra: Record<string, unknown> = {}) {
  return { username, password, ...extra };
}
