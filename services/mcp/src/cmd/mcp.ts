#!/usr/bin/env -S node --import tsx
// mcp: the operator's CLI (commands in src/cli/program.ts).
import { runCli } from "@metacircular/mcdsl/cli";
import { program } from "../cli/program.ts";

await runCli(program);
