#!/usr/bin/env -S node --import tsx
// mciasctl: the MCIAS admin CLI (see src/cli/). Bundled to dist/mciasctl.mjs for plain node.
import { profileWarning, runCli } from "@metacircular/mcdsl/cli";
import { cliProfile } from "../cli/profile.ts";
import { buildMciasctl } from "../cli/program.ts";

const warning = profileWarning(cliProfile());
if (warning) process.stderr.write(warning);
await runCli(buildMciasctl());
