// gRPC handlers: translate messages to the shared API operations (REST uses the same ones).

import { create, fromJson } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { requireIdentityFrom } from "@metacircular/mcdsl/grpc";
import {
  CreateRecordResponseSchema,
  DeleteRecordResponseSchema,
  GetRecordResponseSchema,
  ListRecordsResponseSchema,
  RecordSchema,
  RecordService,
  UpdateRecordResponseSchema,
} from "@metacircular/proto/mcns/v1/record_pb";
import {
  CreateZoneResponseSchema,
  DeleteZoneResponseSchema,
  ExportZoneResponseSchema,
  GetZoneResponseSchema,
  ImportZoneResponseSchema,
  ListZonesResponseSchema,
  UpdateZoneResponseSchema,
  type ZoneParams,
  ZoneSchema,
  ZoneService,
} from "@metacircular/proto/mcns/v1/zone_pb";
import type { ApiOps } from "../records/api-ops.ts";
import type { RecordView, ZoneView } from "../records/dns-store.ts";
import { recordId } from "../records/validate.ts";
import type { ZoneInput } from "../records/zone-input.ts";

// The views are the REST JSON, whose keys are the messages' proto field names (snake_case), so
// protobuf's JSON reader maps them; a field missing from the message is an error, not a loss.
const rec = (r: RecordView) => fromJson(RecordSchema, { ...r });
const zone = (z: ZoneView) => fromJson(ZoneSchema, { ...z });

function params(p: ZoneParams | undefined): Partial<ZoneInput> {
  const out: Partial<ZoneInput> = {};
  if (!p) return out;
  if (p.primaryNs !== undefined) out.primary_ns = p.primaryNs;
  if (p.adminEmail !== undefined) out.admin_email = p.adminEmail;
  if (p.refresh !== undefined) out.refresh = p.refresh;
  if (p.retry !== undefined) out.retry = p.retry;
  if (p.expire !== undefined) out.expire = p.expire;
  if (p.minimum !== undefined) out.minimum = p.minimum;
  if (p.ttl !== undefined) out.ttl = p.ttl;
  return out;
}

export function registerHandlers(router: ConnectRouter, ops: ApiOps): void {
  router.service(RecordService, {
    listRecords: (req, ctx) =>
      create(ListRecordsResponseSchema, {
        records: ops
          .listRecords(requireIdentityFrom(ctx), req.zone, { name: req.name, type: req.type })
          .map(rec),
      }),
    createRecord: (req, ctx) =>
      create(CreateRecordResponseSchema, {
        record: rec(
          ops.createRecord(requireIdentityFrom(ctx), req.zone, {
            name: req.name,
            type: req.type,
            ttl: req.ttl,
            value: req.value,
          }),
        ),
      }),
    getRecord: (req, ctx) =>
      create(GetRecordResponseSchema, {
        record: rec(ops.getRecord(requireIdentityFrom(ctx), req.zone, recordId(req.id))),
      }),
    updateRecord: (req, ctx) =>
      create(UpdateRecordResponseSchema, {
        record: rec(
          ops.updateRecord(requireIdentityFrom(ctx), req.zone, recordId(req.id), {
            name: req.name,
            type: req.type,
            ttl: req.ttl,
            value: req.value,
          }),
        ),
      }),
    deleteRecord: (req, ctx) => {
      ops.deleteRecord(requireIdentityFrom(ctx), req.zone, recordId(req.id));
      return create(DeleteRecordResponseSchema, {});
    },
  });
  router.service(ZoneService, {
    listZones: (_req, ctx) =>
      create(ListZonesResponseSchema, { zones: ops.listZones(requireIdentityFrom(ctx)).map(zone) }),
    getZone: (req, ctx) =>
      create(GetZoneResponseSchema, {
        zone: zone(ops.getZone(requireIdentityFrom(ctx), req.name)),
      }),
    createZone: (req, ctx) =>
      create(CreateZoneResponseSchema, {
        zone: zone(
          ops.createZone(requireIdentityFrom(ctx), { ...params(req.params), name: req.name }),
        ),
      }),
    updateZone: (req, ctx) =>
      create(UpdateZoneResponseSchema, {
        zone: zone(ops.updateZone(requireIdentityFrom(ctx), req.name, params(req.params))),
      }),
    deleteZone: (req, ctx) => {
      ops.deleteZone(requireIdentityFrom(ctx), req.name);
      return create(DeleteZoneResponseSchema, {});
    },
    exportZone: (req, ctx) =>
      create(ExportZoneResponseSchema, {
        text: ops.exportZone(requireIdentityFrom(ctx), req.name),
      }),
    importZone: (req, ctx) =>
      create(ImportZoneResponseSchema, {
        imported: ops.importZone(requireIdentityFrom(ctx), req.name, req.text).imported,
      }),
  });
}
