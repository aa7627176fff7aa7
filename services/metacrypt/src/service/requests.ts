// Request shapes of the API (REST bodies; gRPC messages carry the same fields), translated to
// the use-case inputs in one place.

import type { Identity } from "@metacircular/mcdsl/identity";
import { z } from "zod";
import type { InitRequest, UnsealInput } from "../barrier/index.ts";
import type { ExplainRequest } from "./ops.ts";

export const initBody = z.union([
  z.strictObject({ password: z.string().min(12).max(1024) }),
  z
    .strictObject({
      shares: z.number().int().min(1).max(255),
      threshold: z.number().int().min(1).max(255),
    })
    .refine((s) => s.threshold <= s.shares, "threshold must not exceed shares"),
]);

export function toInit(b: z.infer<typeof initBody>): InitRequest {
  return "password" in b
    ? { kind: "password", password: b.password }
    : { kind: "shamir", shares: b.shares, threshold: b.threshold };
}

export const unsealBody = z.union([
  z.strictObject({ password: z.string().min(1).max(1024) }),
  z.strictObject({ share: z.string().min(1).max(1024) }),
]);

export function toUnseal(b: z.infer<typeof unsealBody>): UnsealInput {
  return "password" in b
    ? { kind: "password", password: b.password }
    : { kind: "share", share: b.share };
}

export const mountBody = z.strictObject({
  name: z.string().min(1),
  type: z.string().min(1),
  config: z.record(z.string(), z.unknown()).optional(),
});

export const engineBody = z.strictObject({
  mount: z.string().min(1),
  operation: z.string().min(1),
  data: z.record(z.string(), z.unknown()).default({}),
});

export const explainBody = z.strictObject({
  subject: z.strictObject({
    username: z.string().min(1),
    account_type: z.enum(["human", "system"]),
    roles: z.array(z.string()).default([]),
  }),
  mount: z.string().min(1),
  operation: z.string().min(1),
  names: z.array(z.string()).default([]),
});

export function toExplain(b: z.infer<typeof explainBody>): ExplainRequest {
  const subject: Identity = {
    username: b.subject.username,
    accountType: b.subject.account_type,
    roles: b.subject.roles,
  };
  return { subject, mount: b.mount, operation: b.operation, names: b.names };
}

/** POST /v1/certs/host (and CertService.HostCert): the CA engine's host-cert operation. */
export const hostCertBody = z.strictObject({
  mount: z.string().min(1),
  hostname: z.string().min(1),
  profile: z.string().min(1).optional(),
  key_type: z.string().min(1).optional(),
});
