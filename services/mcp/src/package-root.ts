// The package directory (services/mcp), the same from src/ under tsx and from a bundle in dist/.
import { findPackageRoot } from "@metacircular/mcdsl/package";

export const PACKAGE_ROOT = findPackageRoot("@metacircular/mcp", import.meta.url);
