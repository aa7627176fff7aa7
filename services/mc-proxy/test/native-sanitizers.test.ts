// The native tests again, on the sanitizer build of the ingress addon (AddressSanitizer and
// UndefinedBehaviorSanitizer, native/build/asan/): any memory error or undefined behaviour in the
// C++ that these tests reach fails here with the sanitizer's report. The cluster test is left out
// (it checks port pinning across processes, not the addon's memory, and is the slowest).
import { test } from "node:test";
import { assertSanitizedRunClean, runTestsUnderSanitizers } from "@metacircular/testkit";
import { ensureIngressAddon } from "./helpers/native.ts";

const FILES = ["native-events", "native-io", "native-fast-path", "native-fuzz"].map(
  (f) => `services/mc-proxy/test/${f}.test.ts`,
);

test("the native tests pass on the ASan + UBSan build of the ingress addon", {
  timeout: 300_000,
}, async () => {
  ensureIngressAddon("asan"); // built here, without the preload; the run finds it up to date
  assertSanitizedRunClean(await runTestsUnderSanitizers(FILES));
});
