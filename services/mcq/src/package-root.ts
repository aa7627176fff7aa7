// The package directory (services/mcq), the same from src/ under tsx and from the bundle in dist/,
// so the render worker's entry is found the same way in both.
import { findPackageRoot } from "@metacircular/mcdsl/package";

export const PACKAGE_ROOT = findPackageRoot("@metacircular/mcq", import.meta.url);
