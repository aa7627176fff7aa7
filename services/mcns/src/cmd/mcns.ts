#!/usr/bin/env -S node --import tsx
// mcns: the DNS server and its offline zone tools (commands in src/cli/mcns-program.ts).

import "../cli/mcns-program.ts";
