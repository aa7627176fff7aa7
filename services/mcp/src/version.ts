// Version reported by --version and the health check, read once from package.json.
import { packageVersion } from "@metacircular/mcdsl/package";
import { PACKAGE_ROOT } from "./package-root.ts";

export const VERSION: string = packageVersion(PACKAGE_ROOT);
