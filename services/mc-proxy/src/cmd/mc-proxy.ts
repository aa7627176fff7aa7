#!/usr/bin/env -S node --import tsx
// mc-proxy entry point, from source (tsx) or from the bundle (dist/mc-proxy.cjs, `npm run build`).
// Cluster workers are forked from this same file and take the worker branch, so a bundled primary
// gets plain-node workers. Both branches load lazily: a worker never evaluates the CLI, the
// database or the admin API code.
import cluster from "node:cluster";

if (cluster.isWorker) void import("../runtime/worker-main.ts");
else void import("../cli/server-command.ts").then((m) => m.main(process.argv));
