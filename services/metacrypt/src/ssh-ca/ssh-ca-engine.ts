// The SSH CA engine type: its operations as the service layer dispatches them from
// `POST /v1/engine/request` and EngineService.Request. The policy names of a signing request are
// its principals (user names or host names); of a revocation, the key id when one is given.
// Policy decides a host certificate as "sign-host", so a rule letting alice sign user
// certificates for principal "web1" does not also let her vouch for a host called web1.

import { z } from "zod";
import type { EngineOperation, EngineType } from "../engines/engine.ts";
import { parseData as parse } from "../engines/parse.ts";
import { toWire } from "../engines/wire.ts";
import { CA_KEY_TYPES } from "./ca-key.ts";
import { SshCaEngine } from "./engine.ts";
import type { RevokeTarget } from "./records.ts";

const seconds = z.number().int().positive();
const options = z.record(z.string(), z.string());

const initRequest = z.strictObject({
  key_type: z.enum(CA_KEY_TYPES).default("ed25519"),
  max_ttl_seconds: seconds.optional(),
});
const signRequest = z.strictObject({
  public_key: z.string().min(1),
  cert_type: z.enum(["user", "host"]).default("user"),
  key_id: z.string().min(1),
  principals: z.array(z.string()).min(1),
  ttl_seconds: seconds.default(3600),
  valid_after: z.number().int().min(0).optional(),
  critical_options: options.optional(),
  extensions: options.optional(),
});
const serialRef = z.strictObject({ serial: z.string().min(1) });
const revokeRequest = z.union([
  serialRef,
  z.strictObject({ key_id: z.string().min(1) }),
  z.strictObject({ public_key: z.string().min(1) }),
]);
const none = z.strictObject({});

function revokeTarget(r: z.infer<typeof revokeRequest>): RevokeTarget {
  if ("serial" in r) return { kind: "serial", serial: r.serial };
  if ("key_id" in r) return { kind: "key-id", keyId: r.key_id };
  return { kind: "key", publicKey: r.public_key };
}

/** An operation without policy names; `run` gets the mount's SSH CA and the parsed data. */
function op<S extends z.ZodType>(
  schema: S,
  run: (ca: SshCaEngine, r: z.infer<S>) => unknown,
  names?: (r: z.infer<S>) => string[],
): EngineOperation {
  const o: EngineOperation = {
    run: async ({ store }, d) => toWire(run(new SshCaEngine(store), parse(schema, d))),
  };
  if (names) o.names = (d) => names(parse(schema, d));
  return o;
}

function signOperation(): EngineOperation {
  const o = op(
    signRequest,
    (ca, r) =>
      ca.sign({
        publicKey: r.public_key,
        certType: r.cert_type,
        keyId: r.key_id,
        principals: r.principals,
        ttlSeconds: r.ttl_seconds,
        ...(r.valid_after === undefined ? {} : { validAfter: r.valid_after }),
        ...(r.critical_options ? { criticalOptions: r.critical_options } : {}),
        ...(r.extensions ? { extensions: r.extensions } : {}),
      }),
    (r) => r.principals,
  );
  o.policyOperation = (d) => (parse(signRequest, d).cert_type === "host" ? "sign-host" : "sign");
  return o;
}

const operations: Record<string, EngineOperation> = {
  init: op(initRequest, (ca, r) => {
    const o: Parameters<SshCaEngine["initialize"]>[0] = { keyType: r.key_type };
    if (r.max_ttl_seconds !== undefined) o.maxTtlSeconds = r.max_ttl_seconds;
    return ca.initialize(o);
  }),
  config: op(none, (ca) => ca.config()),
  "public-key": op(none, (ca) => ({ publicKey: ca.publicKey() })),
  sign: signOperation(),
  "get-cert": op(serialRef, (ca, r) => ({ certificate: ca.getCertificate(r.serial) })),
  "list-certs": op(none, (ca) => ({ certificates: ca.listCertificates() })),
  revoke: op(
    revokeRequest,
    (ca, r) => ca.revoke(revokeTarget(r)),
    (r) => ("key_id" in r ? [r.key_id] : []),
  ),
  krl: op(none, (ca) => ({ krl: ca.krl() })),
};

export const sshCaEngine: EngineType = { type: "ssh-ca", operations };
