// Shared by the gRPC tests: an EchoService server with a fixed token table, and a grpc-js
// client built from the .proto source (independent of the generated TypeScript).
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { EchoResponseSchema, EchoService } from "@metacircular/proto/common/v1/echo_pb";
import { REPO_ROOT } from "@metacircular/testkit";
import { AppError } from "../../errors/index.ts";
import type { Identity, TokenValidator } from "../../identity/index.ts";
import { silentLogger } from "../../log/logger.ts";
import { identityFrom } from "../auth-interceptor.ts";
import type { MethodMap } from "../method-map.ts";
import { type GrpcServerHandle, serveGrpc } from "../serve.ts";

export const TOKENS: Record<string, Identity> = {
  "tok-user": { username: "alice", accountType: "human", roles: ["user"] },
  "tok-admin": { username: "root", accountType: "system", roles: ["admin"] },
};
export const validator: TokenValidator = { validate: async (t) => TOKENS[t] ?? null };

export const E = "/metacircular.common.v1.EchoService";
export const MAP: MethodMap = {
  [`${E}/PublicEcho`]: "public",
  [`${E}/AuthedEcho`]: "authenticated",
  [`${E}/AdminEcho`]: "admin",
  [`${E}/StreamEcho`]: "authenticated",
};

function echo(message: string, ctx: Parameters<typeof identityFrom>[0]) {
  if (message === "throw:not_found") throw AppError.notFound("zone_not_found", "no such zone");
  if (message === "throw:exists") throw AppError.conflict("zone_exists", "zone exists");
  if (message === "throw:crash") throw new Error("db file /srv/secret.db is corrupt");
  return create(EchoResponseSchema, { message, caller: identityFrom(ctx)?.username ?? "" });
}

export function start(
  extra: { tls?: { cert: string; key: string }; validator?: TokenValidator; listen?: string } = {},
): Promise<GrpcServerHandle> {
  return serveGrpc({
    service: "echo",
    version: "1.0.0",
    methodMap: MAP,
    validator,
    listen: "127.0.0.1:0",
    logger: silentLogger(),
    shutdownTimeoutMs: 500,
    register(router) {
      router.service(EchoService, {
        publicEcho: (req, ctx) => echo(req.message, ctx),
        authedEcho: (req, ctx) => echo(req.message, ctx),
        adminEcho: (req, ctx) => echo(req.message, ctx),
        undeclaredEcho: (req, ctx) => echo(req.message, ctx),
        async *streamEcho(req, ctx) {
          for (let i = 0; i < req.repeat; i++) yield echo(req.message, ctx);
          throw AppError.unavailable("stream source went away", 2);
        },
      });
    },
    ...extra,
  });
}

// grpc-js client built from the .proto source, independent of the generated TypeScript.
export type Call = (
  req: { message: string },
  md: grpc.Metadata,
  cb: (err: grpc.ServiceError | null, res?: { message: string; caller: string }) => void,
) => void;
export type EchoClient = grpc.Client &
  Record<"PublicEcho" | "AuthedEcho" | "AdminEcho" | "UndeclaredEcho", Call>;

export function grpcJsClient(port: number): EchoClient {
  const def = protoLoader.loadSync("metacircular/common/v1/echo.proto", {
    includeDirs: [join(REPO_ROOT, "lib/proto/proto")],
    defaults: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    metacircular: {
      common: {
        v1: { EchoService: new (addr: string, creds: grpc.ChannelCredentials) => EchoClient };
      };
    };
  };
  return new pkg.metacircular.common.v1.EchoService(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
}

export function call(
  client: EchoClient,
  method: keyof EchoClient & string,
  message: string,
  token?: string,
) {
  const md = new grpc.Metadata();
  if (token) md.set("authorization", `Bearer ${token}`);
  return new Promise<{ message: string; caller: string }>((resolve, reject) => {
    (client[method] as Call).call(client, { message }, md, (err, res) =>
      err ? reject(err) : resolve(res!),
    );
  });
}

export const status = (code: grpc.status) => (e: unknown) => (e as grpc.ServiceError).code === code;
