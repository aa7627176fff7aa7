// gRPC clients of MCNS's RecordService and ZoneService, sending `token` as a bearer token.
import { createClient } from "@connectrpc/connect";
import { RecordService } from "@metacircular/proto/mcns/v1/record_pb";
import { ZoneService } from "@metacircular/proto/mcns/v1/zone_pb";
import { bearerTransport } from "@metacircular/testkit";

export function grpcClients(baseUrl: string, token: string | undefined) {
  const transport = bearerTransport(baseUrl, token);
  return {
    records: createClient(RecordService, transport),
    zones: createClient(ZoneService, transport),
  };
}
