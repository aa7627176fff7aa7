// The service's name in MCNS: an A record <service>.<zone> → the node address, made and removed
// over MCNS's gRPC API with the agent's system-account token (MCNS lets account mcp-agent
// manage any record).
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type Client,
  Code,
  ConnectError,
  createClient,
  type Interceptor,
} from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { RecordService } from "@metacircular/proto/mcns/v1/record_pb";

export interface DnsTarget {
  url: string;
  tokenFile: string;
  caCert?: string;
  zone: string;
  ttl: number;
}

/**
 * MCNS answers UNAVAILABLE when it cannot reach MCIAS to validate the token (MCIAS restarting or
 * slow): nothing was done, so the call is tried again, up to four times over about 3.5 s.
 */
const retryUnavailable: Interceptor = (next) => async (req) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await next(req);
    } catch (e) {
      if (attempt >= 4 || ConnectError.from(e).code !== Code.Unavailable) throw e;
      await sleep(250 * 2 ** attempt);
    }
  }
};

export class DnsRecords {
  private readonly client: Client<typeof RecordService>;
  readonly zone: string;
  private readonly ttl: number;

  constructor(t: DnsTarget) {
    this.zone = t.zone;
    this.ttl = t.ttl;
    // Read per call, so a renewed token file takes effect without a restart.
    const bearer: Interceptor = (next) => (req) => {
      req.header.set("authorization", `Bearer ${readFileSync(t.tokenFile, "utf8").trim()}`);
      return next(req);
    };
    const transport = createGrpcTransport({
      baseUrl: t.url,
      interceptors: [retryUnavailable, bearer],
      ...(t.caCert ? { nodeOptions: { ca: readFileSync(t.caCert) } } : {}),
    });
    this.client = createClient(RecordService, transport);
  }

  /** The record's id: the existing one with this value, or a new one (created: true). */
  async ensureA(name: string, address: string): Promise<{ id: number; created: boolean }> {
    const { records } = await this.client.listRecords({ zone: this.zone, name, type: "A" });
    const same = records.find((r) => r.value === address);
    if (same) return { id: Number(same.id), created: false };
    const { record } = await this.client.createRecord({
      zone: this.zone,
      name,
      type: "A",
      ttl: this.ttl,
      value: address,
    });
    return { id: Number(record?.id ?? 0), created: true };
  }

  /** Deletes a record; one that is already gone is fine. */
  async remove(id: number): Promise<void> {
    try {
      await this.client.deleteRecord({ zone: this.zone, id: BigInt(id) });
    } catch (e) {
      if ((e as { code?: number }).code !== 5) throw e; // 5 = NOT_FOUND
    }
  }
}
