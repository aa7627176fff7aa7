#!/usr/bin/env -S node --import tsx
// mcrctl: repositories, tags, deletion, GC, policies and audit over MCR's admin API
// (commands in src/cli/mcrctl-program.ts).
import { runCli } from "@metacircular/mcdsl/cli";
import { program } from "../cli/mcrctl-program.ts";

await runCli(program);
