// A commander action whose code is imported only when its command runs. The command tree (and
// --help) needs no gRPC client, protobuf registry or node:http2, so a cold mcproxyctl loads those
// only for a command that calls the admin API (bench/results/cli.md has the figures).
import type { Command } from "commander";

type Action = (this: Command, ...args: unknown[]) => Promise<void>;

export function lazyAction<M, K extends keyof M & string>(load: () => Promise<M>, name: K): Action {
  return async function (this: Command, ...args: unknown[]) {
    const action = (await load())[name] as Action;
    await action.apply(this, args);
  };
}
