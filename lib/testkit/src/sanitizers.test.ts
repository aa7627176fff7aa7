// The sanitizer run must see what it is there for: a throwaway addon with a use after free and
// one with a signed integer overflow, built as asan variants by scripts/build-addon.mjs, each loaded
// by a one-test file under runTestsUnderSanitizers. A run that passed here anyway would make the
// services' *-sanitizers tests worthless.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "./process.ts";
import { assertSanitizedRunClean, runTestsUnderSanitizers } from "./sanitizers.ts";
import { makeTempDir } from "./tmp.ts";

const SOURCE = `#include <node_api.h>
#include <climits>
namespace {
int Arg(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr);
  int n = 0;
  napi_get_value_int32(env, arg, &n);
  return n;
}
napi_value Heap(napi_env env, napi_callback_info info) {
  char* p = new char[8];
  delete[] p;
  p[Arg(env, info)] = 1;  // after the free
  return nullptr;
}
napi_value Signed(napi_env env, napi_callback_info info) {
  int n = Arg(env, info);
  volatile int big = INT_MAX;
  int sum = big + n;  // overflows for n > 0
  napi_value out;
  napi_create_int32(env, sum, &out);
  return out;
}
napi_value Init(napi_env env, napi_value exports) {
  napi_value f;
  napi_create_function(env, "heap", NAPI_AUTO_LENGTH, Heap, nullptr, &f);
  napi_set_named_property(env, exports, "heap", f);
  napi_create_function(env, "signed", NAPI_AUTO_LENGTH, Signed, nullptr, &f);
  napi_set_named_property(env, exports, "signed", f);
  return exports;
}
}  // namespace
NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
`;

describe("runTestsUnderSanitizers", () => {
  const dir = makeTempDir("mc-sanitizers-");
  let addon = "";

  before(() => {
    writeFileSync(dir.join("bugs.cc"), SOURCE);
    const build = join(REPO_ROOT, "scripts/build-addon.mjs");
    const args = [build, "--name", "bugs", "--out", dir.join("bugs.node"), "--variant", "asan"];
    execFileSync(process.execPath, [...args, "--quiet", dir.join("bugs.cc")]);
    addon = dir.join("asan", "bugs.node");
  });
  after(() => dir.remove());

  /** A test file calling `call` on the addon (`clean`: load it and call nothing). */
  function testFile(call: string): string {
    const file = dir.join(`${call}.test.mjs`);
    const body = call === "clean" ? "" : `m.exports.${call}(1);`;
    writeFileSync(
      file,
      `import { test } from "node:test";
test("${call}", () => {
  const m = { exports: {} };
  process.dlopen(m, ${JSON.stringify(addon)});
  ${body}
});
`,
    );
    return file;
  }

  it("passes a clean run", async () => {
    const r = await runTestsUnderSanitizers([testFile("clean")]);
    assertSanitizedRunClean(r);
  });

  it("reports a use after free (ASan) and a signed overflow (UBSan)", async () => {
    for (const [call, finding] of [
      ["heap", /ERROR: AddressSanitizer: heap-use-after-free/],
      ["signed", /runtime error: signed integer overflow/],
    ] as const) {
      const r = await runTestsUnderSanitizers([testFile(call)]);
      assert.match(r.findings.join("\n"), finding, r.output.slice(-3000));
      assert.throws(() => assertSanitizedRunClean(r));
    }
  });
});
