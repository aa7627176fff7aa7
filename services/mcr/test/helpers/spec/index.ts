// Every distribution-spec check, in the order the results table lists them.
import { baseChecks } from "./base.ts";
import { blobChecks } from "./blobs.ts";
import { listingChecks } from "./listing.ts";
import { manifestChecks } from "./manifests.ts";
import type { SpecCheck } from "./target.ts";
import { uploadChecks } from "./uploads.ts";

export {
  all,
  type CheckResult,
  code,
  runChecks,
  type SpecCheck,
  type SpecTarget,
} from "./target.ts";

export const specChecks: SpecCheck[] = [
  ...baseChecks,
  ...blobChecks,
  ...uploadChecks,
  ...manifestChecks,
  ...listingChecks,
];
