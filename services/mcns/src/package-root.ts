// The package directory (services/mcns), from mcdsl/package: the same answer from src/ under tsx
// and from the bundle in dist/, so the native addon is found the same way in both.
import { findPackageRoot } from "@metacircular/mcdsl/package";

export const PACKAGE_ROOT = findPackageRoot("@metacircular/mcns", import.meta.url);
