// The supervisor's restart logic with real child processes: a service that dies before it is
// ever healthy is retried with back-off and given up after five tries (its last words kept);
// a healthy service killed with SIGKILL is restarted and healthy again; stop() leaves nothing.
import assert from "node:assert/strict";
import { createConnection } from "node:net";
import { test } from "node:test";
import { freePort, makeTempDir } from "@metacircular/testkit";
import { ServiceLog } from "./service-log.ts";
import { type ServiceSpec, SupervisedService, type SupervisorEvents } from "./supervisor.ts";

type Event =
  | { kind: "healthy"; pid: number; restarts: number }
  | { kind: "crash"; how: string; retryInS: number; lastLines: string[] }
  | { kind: "giveUp"; lastLines: string[] };

function recorder(): {
  events: Event[];
  handlers: SupervisorEvents;
  next: (k: Event["kind"]) => Promise<Event>;
} {
  const events: Event[] = [];
  const waiters: Array<() => void> = [];
  const push = (e: Event) => {
    events.push(e);
    for (const w of waiters.splice(0)) w();
  };
  let seen = 0;
  const next = async (kind: Event["kind"]) => {
    for (;;) {
      const i = events.findIndex((e, n) => n >= seen && e.kind === kind);
      if (i >= 0) {
        seen = i + 1;
        return events[i]!;
      }
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return {
    events,
    next,
    handlers: {
      onHealthy: (_n, pid, restarts) => push({ kind: "healthy", pid, restarts }),
      onCrash: (_n, how, retryInS, lastLines) => push({ kind: "crash", how, retryInS, lastLines }),
      onSlow: () => {},
      onGiveUp: (_n, lastLines) => push({ kind: "giveUp", lastLines }),
    },
  };
}

function node(script: string, healthy: () => Promise<boolean>): ServiceSpec {
  return {
    name: "demo",
    command: process.execPath,
    args: ["-e", script],
    cwd: process.cwd(),
    env: process.env,
    healthy,
    backoffUnitMs: 20,
  };
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

test("a service that never becomes healthy is retried with back-off, then given up", async () => {
  const tmp = makeTempDir("mc-sup-");
  try {
    const r = recorder();
    const log = new ServiceLog(tmp.path, "demo", false);
    const svc = new SupervisedService(
      node('console.error("cannot open the database"); process.exit(3)', async () => false),
      log,
      r.handlers,
    );
    svc.start();
    const given = await r.next("giveUp");
    assert.ok(given.kind === "giveUp" && given.lastLines.includes("cannot open the database"));
    const crashes = r.events.filter((e) => e.kind === "crash");
    assert.deepEqual(
      crashes.map((e) => (e.kind === "crash" ? e.retryInS : 0)),
      [1, 2, 4, 8],
    );
    assert.ok(crashes.every((e) => e.kind === "crash" && e.how === "exit code 3"));
    // Settled as given up: npm start skips an optional service here and starts the rest.
    assert.equal(await svc.whenSettled(), false);
    await svc.stop(1_000);
    await log.close();
  } finally {
    tmp.remove();
  }
});

test("a healthy service killed with SIGKILL is restarted; stop() ends it", async () => {
  const tmp = makeTempDir("mc-sup-");
  const port = await freePort();
  try {
    const r = recorder();
    const log = new ServiceLog(tmp.path, "demo", false);
    const svc = new SupervisedService(
      node(
        `require("net").createServer().listen(${port}, "127.0.0.1");` +
          'process.on("SIGTERM", () => process.exit(0));',
        () => connects(port),
      ),
      log,
      r.handlers,
    );
    svc.start();
    const first = await r.next("healthy");
    assert.ok(first.kind === "healthy" && first.restarts === 0);
    assert.equal(await svc.whenSettled(), true);
    process.kill(first.pid, "SIGKILL");
    const crash = await r.next("crash");
    assert.ok(
      crash.kind === "crash" && crash.how === "signal SIGKILL" && crash.lastLines.length === 0,
    );
    const again = await r.next("healthy");
    assert.ok(again.kind === "healthy" && again.restarts === 1 && again.pid !== first.pid);
    await svc.stop(5_000);
    assert.throws(() => process.kill(again.pid, 0), /ESRCH/);
    assert.equal(r.events.filter((e) => e.kind === "crash").length, 1, "stop() is not a crash");
    await log.close();
  } finally {
    tmp.remove();
  }
});
