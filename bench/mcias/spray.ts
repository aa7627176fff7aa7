// Password spray load for the MCIAS benchmark, run as its own process so its event loop does
// not distort the latency measured by run.ts.  Usage: spray.ts <url> <rate> <seconds>
// Bad passwords for ever-new user names from ever-new loopback source addresses (so neither
// the per-account nor the per-IP limit stops it: only the Argon2id pool does). Prints a JSON summary.
import { openLoop, postJson } from "./load.ts";

const [url, rate, seconds] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const summary = await openLoop(
  (i) =>
    postJson(
      url,
      "/v1/auth/login",
      { username: `spray${i % 5000}`, password: `guess-${i}` },
      { localAddress: `127.9.${Math.floor(i / 250) % 250}.${(i % 250) + 1}` },
    ),
  rate,
  seconds,
);
process.stdout.write(`${JSON.stringify(summary)}\n`);
