#!/usr/bin/env -S node --import tsx
// metacryptctl: operate Metacrypt over its REST API (commands in src/cli/metacryptctl-program.ts).
import { runCli } from "@metacircular/mcdsl/cli";
import { program } from "../cli/metacryptctl-program.ts";

await runCli(program);
