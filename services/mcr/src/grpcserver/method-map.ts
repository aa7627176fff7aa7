// The one gRPC access map (default deny; test/access-map.test.ts checks every method is
// declared). It mirrors the REST map: repository calls are "authenticated" and decided by the
// repository policy inside RegistryAdmin; GC, policies and the audit log are admin.
import type { MethodMap } from "@metacircular/mcdsl/grpc";
import { AdminService } from "@metacircular/proto/mcr/v1/admin_pb";
import { RegistryService } from "@metacircular/proto/mcr/v1/registry_pb";

const R = `/${RegistryService.typeName}`;
const A = `/${AdminService.typeName}`;

export const grpcServices = [RegistryService, AdminService];

export const grpcAccess: MethodMap = {
  [`${R}/ListRepositories`]: "authenticated",
  [`${R}/ListTags`]: "authenticated",
  [`${R}/DeleteTag`]: "authenticated",
  [`${R}/DeleteManifest`]: "authenticated",
  [`${A}/RunGc`]: "admin",
  [`${A}/ListPolicies`]: "admin",
  [`${A}/CreatePolicy`]: "admin",
  [`${A}/DeletePolicy`]: "admin",
  [`${A}/ListAudit`]: "admin",
};
