// Who acts on the registry: the identity a registry token or an MCIAS token carries.
import type { Identity } from "@metacircular/mcdsl/identity";

export type Principal = Pick<Identity, "username" | "accountType" | "roles">;
