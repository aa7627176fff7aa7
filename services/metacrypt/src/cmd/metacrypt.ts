#!/usr/bin/env -S node --import tsx
// metacrypt: the server (commands in src/cli/metacrypt-program.ts).

import "../cli/metacrypt-program.ts";
