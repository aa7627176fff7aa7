// The one gRPC access map (default deny; a test checks every method is declared). Mirrors the
// REST map: engine requests are "authenticated" here and decided by policy.

import type { MethodMap } from "@metacircular/mcdsl/grpc";
import { AcmeService } from "@metacircular/proto/metacrypt/v1/acme_pb";
import { AuditService } from "@metacircular/proto/metacrypt/v1/audit_pb";
import { CertService } from "@metacircular/proto/metacrypt/v1/certs_pb";
import { EngineService, MountService } from "@metacircular/proto/metacrypt/v1/engine_pb";
import { PolicyService } from "@metacircular/proto/metacrypt/v1/policy_pb";
import { SysService } from "@metacircular/proto/metacrypt/v1/sys_pb";

const S = `/${SysService.typeName}`;
const M = `/${MountService.typeName}`;
const E = `/${EngineService.typeName}`;
const P = `/${PolicyService.typeName}`;
const A = `/${AuditService.typeName}`;
const C = `/${CertService.typeName}`;
const AC = `/${AcmeService.typeName}`;

export const grpcServices = [
  SysService,
  MountService,
  EngineService,
  PolicyService,
  AuditService,
  CertService,
  AcmeService,
];

export const grpcAccess: MethodMap = {
  [`${S}/Status`]: "public",
  [`${S}/Init`]: "admin",
  [`${S}/Unseal`]: "public",
  [`${S}/Seal`]: "admin",
  [`${M}/ListMounts`]: "authenticated",
  [`${M}/CreateMount`]: "admin",
  [`${M}/DeleteMount`]: "admin",
  [`${E}/Request`]: "authenticated",
  [`${P}/ListRules`]: "admin",
  [`${P}/PutRule`]: "admin",
  [`${P}/DeleteRule`]: "admin",
  [`${P}/Explain`]: "admin",
  [`${A}/ListAudit`]: "admin",
  [`${A}/VerifyAudit`]: "admin",
  [`${C}/HostCert`]: "authenticated",
  // Any member (guests are refused by the use case), like POST /v1/acme/<mount>/eab.
  [`${AC}/CreateEab`]: "authenticated",
};
