// gRPC handlers: thin adapters from protobuf messages onto the same domain functions the REST
// routes use, so both transports have the same semantics. One file per group of services.
import type { ConnectRouter } from "@connectrpc/connect";
import { AccountService } from "@metacircular/proto/mcias/v1/account_pb";
import { AdminService } from "@metacircular/proto/mcias/v1/admin_pb";
import { AuthService } from "@metacircular/proto/mcias/v1/auth_pb";
import { PolicyService } from "@metacircular/proto/mcias/v1/policy_pb";
import { TokenService } from "@metacircular/proto/mcias/v1/token_pb";
import type { Core } from "../app.ts";
import { accountHandlers, adminHandlers, policyHandlers } from "./handlers-admin.ts";
import { authHandlers, tokenHandlers } from "./handlers-auth.ts";

export function registerHandlers(router: ConnectRouter, core: Core): void {
  router.service(AuthService, authHandlers(core));
  router.service(TokenService, tokenHandlers(core));
  router.service(AccountService, accountHandlers(core));
  router.service(PolicyService, policyHandlers(core));
  router.service(AdminService, adminHandlers(core));
}
