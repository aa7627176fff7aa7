// gRPC CertService: the host-cert path, translated to the same use case as POST /v1/certs/host.
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { requireIdentityFrom } from "@metacircular/mcdsl/grpc";
import { CertService, HostCertResponseSchema } from "@metacircular/proto/metacrypt/v1/certs_pb";
import type { HostCert } from "../ca/host-cert.ts";
import { parseData } from "../engines/parse.ts";
import type { MetacryptOps } from "../service/ops.ts";
import { hostCertBody } from "../service/requests.ts";

export function registerCertService(router: ConnectRouter, ops: MetacryptOps): void {
  router.service(CertService, {
    hostCert: async (req, ctx) => {
      const { mount, ...data } = parseData(hostCertBody, {
        mount: req.mount,
        hostname: req.hostname,
        ...(req.profile ? { profile: req.profile } : {}),
        ...(req.keyType ? { key_type: req.keyType } : {}),
      });
      const r = (await ops.request(requireIdentityFrom(ctx), mount, "host-cert", data)) as HostCert;
      return create(HostCertResponseSchema, {
        serial: r.serial,
        certificate: r.certificate,
        chain: r.chain,
        privateKey: r.private_key,
        notAfter: r.not_after,
        reused: r.reused,
      });
    },
  });
}
