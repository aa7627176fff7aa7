// The package directory (services/metacrypt), from mcdsl/package: the same answer from src/
// under tsx and from the bundle in dist/.
import { findPackageRoot } from "@metacircular/mcdsl/package";

export const PACKAGE_ROOT = findPackageRoot("@metacircular/metacrypt", import.meta.url);
