#!/usr/bin/env -S node --import tsx
// mcnsctl: manage MCNS zones and records over the REST API (commands in src/cli/mcnsctl-program.ts).
import { runCli } from "@metacircular/mcdsl/cli";
import { program } from "../cli/mcnsctl-program.ts";

await runCli(program);
