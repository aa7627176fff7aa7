// gRPC AcmeService: the EAB key of POST /v1/acme/<mount>/eab, the same use case (issueEab).
// Without [acme] enabled the REST route does not exist (404); here it is NOT_FOUND acme_disabled.
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { AppError } from "@metacircular/mcdsl/errors";
import { requireIdentityFrom } from "@metacircular/mcdsl/grpc";
import { AcmeService, CreateEabResponseSchema } from "@metacircular/proto/metacrypt/v1/acme_pb";
import { z } from "zod";
import { issueEab } from "../acme/eab.ts";
import type { AcmeDeps } from "../acme/index.ts";
import { parseData } from "../engines/parse.ts";

const createEabBody = z.strictObject({ mount: z.string().min(1) });

/** `origin`: the REST listener's URL, base of the directory when [acme] external_url is unset. */
export function registerAcmeService(
  router: ConnectRouter,
  acme: AcmeDeps | undefined,
  origin: string,
): void {
  router.service(AcmeService, {
    createEab: (req, ctx) => {
      const who = requireIdentityFrom(ctx);
      const { mount } = parseData(createEabBody, { mount: req.mount });
      if (!acme) throw AppError.notFound("acme_disabled", "the ACME server is not enabled");
      const r = issueEab(acme, who, mount, origin);
      return create(CreateEabResponseSchema, {
        kid: r.kid,
        hmacKey: r.hmac_key,
        directory: r.directory,
      });
    },
  });
}
