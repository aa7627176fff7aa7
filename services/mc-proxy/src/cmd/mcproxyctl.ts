#!/usr/bin/env -S node --import tsx
// mcproxyctl: administer a running mc-proxy over its Unix socket (commands in src/cli/).
// Bundled to dist/mcproxyctl.mjs for plain node.
import { loadProfile, profileWarning, runCli } from "@metacircular/mcdsl/cli";
import { buildMcproxyctl } from "../cli/program.ts";

const profile = loadProfile();
const warning = profileWarning(profile);
if (warning) process.stderr.write(warning);
await runCli(buildMcproxyctl("0.1.0", profile));
