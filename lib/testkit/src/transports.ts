// One scenario, both transports: a service's REST and gRPC faces must give the same answer for
// the same action. bothTransports registers a test that runs the scenario once per transport
// (a subtest each) and then compares what the two runs returned. Outcomes are put in
// transport-neutral terms with the platform's own error table (mcdsl/errors): a REST error
// {status, code} reads as the gRPC status it maps to plus the stable code, so a REST 401
// `wrong_audience` and a gRPC UNAUTHENTICATED with mc-error-code `wrong_audience` compare equal.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ERROR_CODE_METADATA, grpcCodeFor } from "@metacircular/mcdsl/errors";

export type Transport = "rest" | "grpc";
export const TRANSPORTS: readonly Transport[] = ["rest", "grpc"];

/** A call's result: its (picked) value, or the gRPC status number and the stable error code. */
export type Outcome<T = undefined> =
  | { ok: true; value: T }
  | { ok: false; grpcCode: number; code: string };

/** A REST answer as an Outcome; `pick` chooses what of a 2xx JSON body to compare. */
export async function restOutcome<T = undefined>(
  res: Response,
  pick?: (body: unknown) => T,
): Promise<Outcome<T>> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (res.ok) return { ok: true, value: pick ? pick(body) : (undefined as T) };
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  const stable = typeof code === "string" ? code : "";
  return { ok: false, grpcCode: grpcCodeFor(res.status, stable), code: stable };
}

/** A gRPC call as an Outcome; `pick` chooses what of the response message to compare. */
export async function grpcOutcome<R, T = undefined>(
  call: Promise<R>,
  pick?: (msg: R) => T,
): Promise<Outcome<T>> {
  try {
    const msg = await call;
    return { ok: true, value: pick ? pick(msg) : (undefined as T) };
  } catch (e) {
    const err = e as { code?: unknown; metadata?: Headers };
    if (typeof err.code !== "number") throw e;
    return { ok: false, grpcCode: err.code, code: err.metadata?.get(ERROR_CODE_METADATA) ?? "" };
  }
}

export interface BothTransportsOptions<T> {
  /** How the two results are compared; default deep strict equality. */
  compare?: (rest: T, grpc: T) => void;
}

/**
 * Registers the test `name`: `scenario("rest")` and `scenario("grpc")` each run as a subtest
 * (their own assertions apply), then their results must agree.
 */
export function bothTransports<T>(
  name: string,
  scenario: (transport: Transport) => Promise<T>,
  opts: BothTransportsOptions<T> = {},
): void {
  test(name, async (t) => {
    const results = new Map<Transport, T>();
    for (const transport of TRANSPORTS)
      await t.test(transport, async () => {
        results.set(transport, await scenario(transport));
      });
    await t.test("REST and gRPC agree", () => {
      assert.ok(results.has("rest") && results.has("grpc"), "both transports ran");
      const compare = opts.compare ?? ((a: T, b: T) => assert.deepStrictEqual(a, b));
      compare(results.get("rest") as T, results.get("grpc") as T);
    });
  });
}
