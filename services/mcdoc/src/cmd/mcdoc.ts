#!/usr/bin/env -S node --import tsx
// mcdoc: the documentation site server (`mcdoc server --config mcdoc.toml`).
import { runCli } from "@metacircular/mcdsl/cli";
import { program } from "../cli/mcdoc-program.ts";

await runCli(program);
