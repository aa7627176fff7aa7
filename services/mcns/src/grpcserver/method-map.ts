// The one gRPC access map (default deny; a test checks every method is declared). Record-level
// rules are applied by the shared operations, exactly as for REST.

import type { MethodMap } from "@metacircular/mcdsl/grpc";
import { RecordService } from "@metacircular/proto/mcns/v1/record_pb";
import { ZoneService } from "@metacircular/proto/mcns/v1/zone_pb";

const R = `/${RecordService.typeName}`;
const Z = `/${ZoneService.typeName}`;

export const grpcServices = [RecordService, ZoneService];

export const grpcAccess: MethodMap = {
  [`${R}/ListRecords`]: "authenticated",
  [`${R}/CreateRecord`]: "authenticated",
  [`${R}/GetRecord`]: "authenticated",
  [`${R}/UpdateRecord`]: "authenticated",
  [`${R}/DeleteRecord`]: "authenticated",
  [`${Z}/ListZones`]: "authenticated",
  [`${Z}/GetZone`]: "authenticated",
  [`${Z}/CreateZone`]: "admin",
  [`${Z}/UpdateZone`]: "admin",
  [`${Z}/DeleteZone`]: "admin",
  [`${Z}/ExportZone`]: "authenticated",
  [`${Z}/ImportZone`]: "admin",
};
