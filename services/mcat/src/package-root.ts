// The package directory (services/mcat), the same from src/ under tsx and from the bundle in
// dist/, so the stylesheet is found the same way in both.
import { findPackageRoot } from "@metacircular/mcdsl/package";

export const PACKAGE_ROOT = findPackageRoot("@metacircular/mcat", import.meta.url);
