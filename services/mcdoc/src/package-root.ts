// The package directory (services/mcdoc), the same from src/ under tsx and from the bundle in
// dist/, so the render worker's entry and the stylesheet are found the same way in both.
import { findPackageRoot } from "@metacircular/mcdsl/package";

export const PACKAGE_ROOT = findPackageRoot("@metacircular/mcdoc", import.meta.url);
