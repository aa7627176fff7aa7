#!/usr/bin/env -S node --import tsx
// mcq: the MCQ server and its client commands (commands in src/cli/mcq-program.ts).
import { runCli } from "@metacircular/mcdsl/cli";
import { program } from "../cli/mcq-program.ts";

await runCli(program);
