// The one gRPC access map (default deny; test/grpc.test.ts checks every method is declared). It
// mirrors the REST map in server/access.ts: document rules (who may push or delete) are applied
// by the Documents use cases, exactly as for REST.

import type { MethodMap } from "@metacircular/mcdsl/grpc";
import { AdminService } from "@metacircular/proto/mcq/v1/admin_pb";
import { AuthService } from "@metacircular/proto/mcq/v1/auth_pb";
import { DocumentService } from "@metacircular/proto/mcq/v1/document_pb";

const D = `/${DocumentService.typeName}`;
const A = `/${AuthService.typeName}`;
const H = `/${AdminService.typeName}`;

export const grpcServices = [DocumentService, AuthService, AdminService];

export const grpcAccess: MethodMap = {
  [`${D}/List`]: "authenticated",
  [`${D}/Get`]: "authenticated",
  [`${D}/Put`]: "authenticated",
  [`${D}/Delete`]: "authenticated",
  [`${D}/MarkRead`]: "authenticated",
  [`${D}/MarkUnread`]: "authenticated",
  [`${D}/Changes`]: "authenticated",
  [`${A}/Login`]: "public",
  [`${A}/Logout`]: "authenticated",
  [`${H}/Health`]: "public",
};
