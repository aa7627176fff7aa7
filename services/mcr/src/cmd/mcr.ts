#!/usr/bin/env -S node --import tsx
// mcr: the registry server (commands in src/cli/mcr-program.ts).

import "../cli/mcr-program.ts";
