// The tests that drive the batched-UDP addon, again on its sanitizer build (AddressSanitizer and
// UndefinedBehaviorSanitizer, native/build/asan/): the buffer format, the fuzz storm, an RRL burst
// and a failed start that must release the socket. Only their native variants run (the name
// filter): the node:dgram twins and the in-process responder fuzz never reach the addon.
import { test } from "node:test";
import { assertSanitizedRunClean, runTestsUnderSanitizers } from "@metacircular/testkit";
import { ensureUdpAddon } from "./helpers/native.ts";

const FILES = ["udp-batch-format", "fuzz", "rate-limit", "listeners"].map(
  (f) => `services/mcns/test/${f}.test.ts`,
);

test("the batched-UDP tests pass on the ASan + UBSan build of the addon", {
  timeout: 300_000,
}, async () => {
  ensureUdpAddon("asan"); // built here, without the preload; the run finds it up to date
  const r = await runTestsUnderSanitizers(FILES, { namePattern: "native|batched UDP addon" });
  assertSanitizedRunClean(r);
});
