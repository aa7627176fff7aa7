// gRPC clients of MCNS's RecordService and ZoneService, sending `token` as a bearer token.
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { RecordService } from "@metacircular/proto/mcns/v1/record_pb";
import { ZoneService } from "@metacircular/proto/mcns/v1/zone_pb";

export function grpcClients(baseUrl: string, token: string | undefined) {
  const transport = createGrpcTransport({
    baseUrl,
    interceptors: token
      ? [
          (next) => (req) => {
            req.header.set("authorization", `Bearer ${token}`);
            return next(req);
          },
        ]
      : [],
  });
  return {
    records: createClient(RecordService, transport),
    zones: createClient(ZoneService, transport),
  };
}
