// Record and zone administration as one scenario, run once over REST and once over gRPC (the test
// kit's bothTransports): every step's result, or its stable error code, must be the same. Ids,
// serials and timestamps differ between the runs and are left out (timestamps: present or not);
// everything else is compared. It caught gRPC answering zones without primary_ns, admin_email
// and timestamps (snake_case views passed to camelCase messages).

import assert from "node:assert/strict";
import { after, before } from "node:test";
import type { Record as RecordMsg } from "@metacircular/proto/mcns/v1/record_pb";
import type { Zone } from "@metacircular/proto/mcns/v1/zone_pb";
import {
  bothTransports,
  freePort,
  grpcOutcome,
  type Outcome,
  restOutcome,
  type Transport,
} from "@metacircular/testkit";
import { grpcClients } from "./helpers/grpc.ts";
import { startTestMcns, type TestMcns } from "./helpers/mcns.ts";
import { staticValidator } from "./helpers/tokens.ts";

const Z = "admin.example";
let h: TestMcns;

before(async () => {
  h = await startTestMcns(
    { server: { listen_addr: "127.0.0.1:0", grpc_addr: `127.0.0.1:${await freePort()}` } },
    { validator: staticValidator },
  );
});
after(() => h?.stop());

/** What is compared of a record and a zone; `stamped`: both timestamps present. */
type RecordFace = Pick<RecordMsg, "zone" | "name" | "fqdn" | "type" | "ttl" | "value"> & {
  stamped: boolean;
};
type ZoneFace = Pick<
  Zone,
  "name" | "primaryNs" | "adminEmail" | "refresh" | "retry" | "expire" | "minimum" | "ttl"
> & { stamped: boolean };
type RecordIn = { name: string; type: string; value: string; ttl?: number };
type ZoneIn = { admin_email?: string; minimum?: number };

type Stamps = { created_at?: string; updated_at?: string; createdAt?: string; updatedAt?: string };
const stamped = (x: Stamps) =>
  Boolean((x.created_at ?? x.createdAt) && (x.updated_at ?? x.updatedAt));

type RecordWire = Omit<RecordFace, "stamped"> & Stamps;
const defined = <T>(x: T | undefined): T => {
  assert.ok(x !== undefined);
  return x;
};

/** A record from the REST JSON or the gRPC message, in one shape. */
const recordFace = (r: RecordWire): RecordFace => ({
  zone: r.zone,
  name: r.name,
  fqdn: r.fqdn,
  type: r.type,
  ttl: r.ttl,
  value: r.value,
  stamped: stamped(r),
});
const restZone = (b: unknown): ZoneFace => {
  const z = b as Omit<ZoneFace, "primaryNs" | "adminEmail" | "stamped"> &
    Stamps & { primary_ns: string; admin_email: string };
  return {
    name: z.name,
    primaryNs: z.primary_ns,
    adminEmail: z.admin_email,
    refresh: z.refresh,
    retry: z.retry,
    expire: z.expire,
    minimum: z.minimum,
    ttl: z.ttl,
    stamped: stamped(z),
  };
};
const grpcZone = (z: (Omit<ZoneFace, "stamped"> & Stamps) | undefined): ZoneFace => {
  assert.ok(z);
  const { name, primaryNs, adminEmail, refresh, retry, expire, minimum, ttl } = z;
  return { name, primaryNs, adminEmail, refresh, retry, expire, minimum, ttl, stamped: stamped(z) };
};

/** The admin API's actions, each as a transport-neutral Outcome. */
interface AdminFace {
  createZone(name: string, p: ZoneIn): Promise<Outcome<ZoneFace>>;
  updateZone(name: string, p: ZoneIn): Promise<Outcome<ZoneFace>>;
  deleteZone(name: string): Promise<Outcome>;
  getZone(name: string): Promise<Outcome<ZoneFace>>;
  createRecord(zone: string, r: RecordIn): Promise<Outcome<{ id: number; rec: RecordFace }>>;
  getRecord(zone: string, id: number): Promise<Outcome<RecordFace>>;
  updateRecord(zone: string, id: number, r: RecordIn): Promise<Outcome<RecordFace>>;
  deleteRecord(zone: string, id: number): Promise<Outcome>;
  listRecords(zone: string, name: string): Promise<Outcome<RecordFace[]>>;
}

function restFace(): AdminFace {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${h.api!.url}${path}`, {
      method,
      headers: { authorization: "Bearer tok-admin", "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const recs = (zone: string) => `/v1/zones/${zone}/records`;
  return {
    createZone: async (name, p) =>
      restOutcome(await call("POST", "/v1/zones", { name, ...p }), restZone),
    updateZone: async (name, p) => restOutcome(await call("PUT", `/v1/zones/${name}`, p), restZone),
    deleteZone: async (name) => restOutcome(await call("DELETE", `/v1/zones/${name}`)),
    getZone: async (name) => restOutcome(await call("GET", `/v1/zones/${name}`), restZone),
    createRecord: async (zone, r) =>
      restOutcome(await call("POST", recs(zone), r), (b) => ({
        id: (b as { id: number }).id,
        rec: recordFace(b as RecordWire),
      })),
    getRecord: async (zone, id) =>
      restOutcome(await call("GET", `${recs(zone)}/${id}`), (b) => recordFace(b as RecordWire)),
    updateRecord: async (zone, id, r) =>
      restOutcome(await call("PUT", `${recs(zone)}/${id}`, r), (b) => recordFace(b as RecordWire)),
    deleteRecord: async (zone, id) => restOutcome(await call("DELETE", `${recs(zone)}/${id}`)),
    listRecords: async (zone, name) =>
      restOutcome(await call("GET", `${recs(zone)}?name=${name}`), (b) =>
        (b as { records: RecordWire[] }).records.map(recordFace),
      ),
  };
}

function grpcFace(): AdminFace {
  const { records, zones } = grpcClients(h.grpc!.url, "tok-admin");
  const params = (p: ZoneIn) => ({
    ...(p.admin_email ? { adminEmail: p.admin_email } : {}),
    ...(p.minimum !== undefined ? { minimum: p.minimum } : {}),
  });
  return {
    createZone: (name, p) =>
      grpcOutcome(zones.createZone({ name, params: params(p) }), (r) => grpcZone(r.zone)),
    updateZone: (name, p) =>
      grpcOutcome(zones.updateZone({ name, params: params(p) }), (r) => grpcZone(r.zone)),
    deleteZone: (name) => grpcOutcome(zones.deleteZone({ name })),
    getZone: (name) => grpcOutcome(zones.getZone({ name }), (r) => grpcZone(r.zone)),
    createRecord: (zone, r) =>
      grpcOutcome(records.createRecord({ zone, ...r }), (m) => ({
        id: Number(m.record?.id),
        rec: recordFace(defined(m.record)),
      })),
    getRecord: (zone, id) =>
      grpcOutcome(records.getRecord({ zone, id: BigInt(id) }), (m) =>
        recordFace(defined(m.record)),
      ),
    updateRecord: (zone, id, r) =>
      grpcOutcome(records.updateRecord({ zone, id: BigInt(id), ...r }), (m) =>
        recordFace(defined(m.record)),
      ),
    deleteRecord: (zone, id) => grpcOutcome(records.deleteRecord({ zone, id: BigInt(id) })),
    listRecords: (zone, name) =>
      grpcOutcome(records.listRecords({ zone, name }), (m) => m.records.map(recordFace)),
  };
}

/** Every step's outcome, with the record id left out. */
async function scenario(api: AdminFace): Promise<unknown[]> {
  const out: unknown[] = [];
  out.push(await api.createZone(Z, { admin_email: "ops@admin.example", minimum: 60 }));
  const created = await api.createRecord(Z, {
    name: "www",
    type: "A",
    value: "10.0.0.1",
    ttl: 120,
  });
  assert.ok(created.ok, JSON.stringify(created));
  const id = created.value.id;
  out.push(created.value.rec);
  out.push(await api.createRecord(Z, { name: "www", type: "A", value: "not-an-address" }));
  const alias = await api.createRecord(Z, { name: "alias", type: "CNAME", value: "www" });
  out.push(alias.ok ? alias.value.rec : alias);
  out.push(await api.createRecord(Z, { name: "alias", type: "A", value: "10.0.0.3" }));
  out.push(await api.getRecord(Z, id));
  out.push(await api.updateRecord(Z, id, { name: "www", type: "A", value: "10.0.0.2" }));
  out.push(await api.listRecords(Z, "www"));
  out.push(await api.getRecord("missing.example", id));
  out.push(await api.getRecord(Z, 999_999_999));
  out.push(await api.deleteRecord(Z, id));
  out.push(await api.getRecord(Z, id));
  out.push(await api.updateZone(Z, { minimum: 120 }));
  out.push(await api.deleteZone(Z));
  out.push(await api.getZone(Z));
  return out;
}

bothTransports(
  "record and zone administration gives the same results over REST and gRPC",
  async (via: Transport) => {
    const out = await scenario(via === "rest" ? restFace() : grpcFace());
    const codes = out.flatMap((o) =>
      (o as Outcome<unknown>).ok === false ? [(o as { code: string }).code] : [],
    );
    assert.deepEqual(codes, [
      "bad_rdata",
      "cname_conflict",
      "zone_not_found",
      "record_not_found",
      "record_not_found",
      "zone_not_found",
    ]);
    return out;
  },
);
