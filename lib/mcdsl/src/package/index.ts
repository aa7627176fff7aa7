export { findPackageRoot, packageVersion } from "./package-root.ts";
