#!/usr/bin/env -S node --import tsx
// mcat: the MCAT server (commands in src/cli/mcat-program.ts).
import { runCli } from "@metacircular/mcdsl/cli";
import { program } from "../cli/mcat-program.ts";

await runCli(program);
