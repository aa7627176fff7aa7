#!/usr/bin/env -S node --import tsx
// mcp-agent: the node agent (commands in src/cli/agent-program.ts).
import { runCli } from "@metacircular/mcdsl/cli";
import { agentProgram } from "../cli/agent-program.ts";

await runCli(agentProgram);
