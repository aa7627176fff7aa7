// Version reported by --version and /v1/health, read once from package.json.
import { packageVersion } from "@metacircular/mcdsl/package";
import { PACKAGE_ROOT } from "./package-root.ts";

export const VERSION: string = packageVersion(PACKAGE_ROOT);
