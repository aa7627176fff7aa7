// The package directory (services/mcr), the same from src/ under tsx and from the bundle in dist/.
import { findPackageRoot } from "@metacircular/mcdsl/package";

export const PACKAGE_ROOT = findPackageRoot("@metacircular/mcr", import.meta.url);
