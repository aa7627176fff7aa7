// Test-only helpers shared by every package's tests. Never imported by production code.
export { accessibilityProblems, horizontalOverflow } from "./a11y.ts";
export { artifactsDir, saveScreenshot } from "./artifacts.ts";
export { addVirtualAuthenticator, CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser } from "./browser.ts";
export { createTestCA, type Leaf, type TestCA } from "./ca.ts";
export { writeCliProfile } from "./cli-profile.ts";
export { fuzzSeed, type Rng, replayHint, rng } from "./fuzz.ts";
export { bearerTransport } from "./grpc.ts";
export {
  type McAccountOptions,
  type MciasInstance,
  type McTestAccount,
  type StartMciasOptions,
  ssoClientToml,
  startMcias,
} from "./mcias.ts";
export { checkPageLayout, ssoSignIn, textOf } from "./page-checks.ts";
export { type MockDns, type Pebble, startMockDns, startPebble } from "./pebble.ts";
export {
  cmdline,
  eventually,
  freePortBase,
  PLATFORM_BOOT_MS,
  PLATFORM_PORT_SPAN,
  type PlatformMark,
  type PlatformOptions,
  type PlatformRun,
  platformMark,
  startPlatform,
  stopPlatform,
} from "./platform.ts";
export { bindable, freePort, freeTcpUdpPort } from "./ports.ts";
export {
  GUEST_PASSWORD,
  loginToken,
  type MatrixTokens,
  matrixPrincipals,
  type PrincipalOptions,
  USER_PASSWORD,
} from "./principals.ts";
export {
  type ChildService,
  REPO_ROOT,
  type StartOptions,
  startProcess,
  waitForHttp,
} from "./process.ts";
export { type NodeRun, type NodeRunOptions, runNode } from "./run-node.ts";
export {
  assertSanitizedRunClean,
  runTestsUnderSanitizers,
  type SanitizedRun,
  type SanitizedRunOptions,
  sanitizerEnv,
} from "./sanitizers.ts";
export { makeTempDir, type TempDir, tempDirFor } from "./tmp.ts";
export {
  type BothTransportsOptions,
  bothTransports,
  grpcOutcome,
  type Outcome,
  restOutcome,
  TRANSPORTS,
  type Transport,
} from "./transports.ts";
