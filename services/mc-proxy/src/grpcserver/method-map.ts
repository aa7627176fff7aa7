// Access level of every admin gRPC method. Over the Unix socket the file mode (0660) is the
// gate; over TCP every method needs an MCIAS admin token. Methods missing here are refused.

import type { MethodMap } from "@metacircular/mcdsl/grpc";
import { methodKey } from "@metacircular/mcdsl/grpc";
import { ProxyAdminService } from "@metacircular/proto/mcproxy/v1/admin_pb";

const ADMIN_METHODS = [
  "GetStatus",
  "ListRoutes",
  "AddRoute",
  "RemoveRoute",
  "ListListeners",
  "AddListener",
  "RemoveListener",
  "GetFirewall",
  "SetFirewall",
  "AddFirewallRule",
  "RemoveFirewallRule",
  "ExportConfig",
  "SeedConfig",
];

export const METHOD_MAP: MethodMap = Object.fromEntries(
  ADMIN_METHODS.map((m) => [methodKey(ProxyAdminService, m), "admin" as const]),
);
