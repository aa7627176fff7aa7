#!/usr/bin/env -S node --import tsx
// mcns: the DNS server and its offline zone tools (see mcns-program.ts).

import "./mcns-program.ts";
