// The user-to-user engine type: X25519 key pairs per MCIAS user and messages between users, as
// the service layer dispatches them from `POST /v1/engine/request` and EngineService.Request.
// The caller's side (sender of `encrypt`, recipient of `decrypt`, owner of the key pair) is always
// the authenticated identity, never a request field. Policy names are the other user's id.

import { z } from "zod";
import type { EngineContext, EngineOperation, EngineType } from "../engines/engine.ts";
import { parseData as parse } from "../engines/parse.ts";
import { bytes, toWire } from "../engines/wire.ts";
import { UserCryptoEngine } from "./engine.ts";

const userId = z.string().min(1).max(128);
const none = z.strictObject({});
const publicKeyRequest = z.strictObject({ user: userId.optional() });
const encryptRequest = z.strictObject({
  recipient: userId,
  plaintext: bytes,
  context: bytes.optional(),
});
const decryptRequest = z.strictObject({ envelope: z.string().min(1), context: bytes.optional() });

/** `run` gets the mount's engine, the caller's user id and the parsed data. */
function op<S extends z.ZodType>(
  schema: S,
  run: (e: UserCryptoEngine, caller: string, r: z.infer<S>) => unknown,
  names?: (r: z.infer<S>) => string[],
): EngineOperation {
  const o: EngineOperation = {
    run: async ({ store, identity }: EngineContext, d) =>
      toWire(run(new UserCryptoEngine(store), identity.username, parse(schema, d))),
  };
  if (names) o.names = (d) => names(parse(schema, d));
  return o;
}

const context = (c: Buffer | undefined) => (c ? { context: c } : {});

const operations: Record<string, EngineOperation> = {
  "ensure-key": op(none, (e, me) => e.ensureKeyPair(me)),
  "rotate-key": op(none, (e, me) => e.rotateKeyPair(me)),
  "public-key": op(
    publicKeyRequest,
    (e, me, r) => e.publicKey(r.user ?? me),
    (r) => (r.user ? [r.user] : []),
  ),
  encrypt: op(
    encryptRequest,
    (e, me, r) =>
      e.encrypt({
        sender: me,
        recipient: r.recipient,
        plaintext: r.plaintext,
        ...context(r.context),
      }),
    (r) => [r.recipient],
  ),
  decrypt: op(decryptRequest, (e, me, r) =>
    e.decrypt({ recipient: me, envelope: r.envelope, ...context(r.context) }),
  ),
};

export const userCryptoEngine: EngineType = { type: "user-crypto", operations };
