// The package directory (services/mcias), from mcdsl/package: the same answer from src/ under tsx
// and from the single-file bundle in dist/, so static files, the Argon2 worker and the version
// are located the same way in both.
import { findPackageRoot } from "@metacircular/mcdsl/package";

export const PACKAGE_ROOT = findPackageRoot("@metacircular/mcias", import.meta.url);
