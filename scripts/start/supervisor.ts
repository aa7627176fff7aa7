// One supervised service: spawned as a child process, probed until healthy, restarted with
// exponential back-off (1 s doubling to 30 s; the count resets after a minute of health) when it
// exits on its own, and stopped with SIGTERM (SIGKILL after a grace period) on shutdown.
import { type ChildProcess, spawn } from "node:child_process";
import { pollUntil } from "./health.ts";
import type { ServiceLog } from "./service-log.ts";

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** One health probe; true when the service answers. */
  healthy: () => Promise<boolean>;
  /** The first back-off delay (doubling up to 30 of these); 1 s unless a test says otherwise. */
  backoffUnitMs?: number;
}

export interface SupervisorEvents {
  /** The service answered its probe: first start (restarts = 0) or after a restart. */
  onHealthy(name: string, pid: number, restarts: number, ms: number): void;
  onCrash(name: string, how: string, retryInS: number, lastLines: string[]): void;
  onSlow(name: string, waitedS: number): void;
  /** It never became healthy and exited MAX_START_FAILURES times in a row. */
  onGiveUp(name: string, lastLines: string[]): void;
}

type State =
  | { kind: "starting"; child: ChildProcess; since: number }
  | { kind: "healthy"; child: ChildProcess; since: number }
  | { kind: "backoff"; timer: NodeJS.Timeout }
  | { kind: "stopping"; child: ChildProcess }
  | { kind: "stopped" };

const MAX_BACKOFF_S = 30;
const STABLE_MS = 60_000;
const SLOW_WARNING_MS = 90_000;
const MAX_START_FAILURES = 5;

export class SupervisedService {
  private state: State = { kind: "stopped" };
  private restarts = 0;
  private failures = 0;
  private everHealthy = false;
  private readonly settled: Promise<boolean>;
  private settle: (healthy: boolean) => void = () => {};

  constructor(
    private readonly spec: ServiceSpec,
    private readonly log: ServiceLog,
    private readonly events: SupervisorEvents,
  ) {
    this.settled = new Promise((r) => {
      this.settle = r;
    });
  }

  get name(): string {
    return this.spec.name;
  }

  /**
   * True once the service has been healthy, false when it was given up on (never rejects;
   * slowness is reported).
   */
  whenSettled(): Promise<boolean> {
    return this.settled;
  }

  start(): void {
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.log.attach(child.stdout);
    this.log.attach(child.stderr);
    this.log.note(`started pid ${child.pid}`);
    const since = Date.now();
    this.state = { kind: "starting", child, since };
    child.once("exit", (code, signal) => this.exited(child, code, signal));
    child.once("error", (e) => this.log.note(`spawn failed: ${e.message}`));
    void this.watchHealth(child, since);
  }

  private async watchHealth(child: ChildProcess, since: number): Promise<void> {
    const current = () => this.state.kind === "starting" && this.state.child === child;
    let warned = false;
    const ok = await pollUntil(
      async () => {
        if (!warned && Date.now() - since > SLOW_WARNING_MS) {
          warned = true;
          this.events.onSlow(this.name, Math.round((Date.now() - since) / 1000));
        }
        return this.spec.healthy();
      },
      { timeoutMs: Number.POSITIVE_INFINITY, cancelled: () => !current() },
    );
    if (!ok || !current()) return;
    this.state = { kind: "healthy", child, since: Date.now() };
    this.everHealthy = true;
    this.events.onHealthy(this.name, child.pid ?? 0, this.restarts, Date.now() - since);
    this.settle(true);
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    this.log.note(`pid ${child.pid} ended (${how})`);
    const s = this.state;
    if (s.kind === "stopping" || s.kind === "stopped") {
      this.state = { kind: "stopped" };
      return;
    }
    if (s.kind === "healthy" && Date.now() - s.since >= STABLE_MS) this.failures = 0;
    this.failures++;
    if (!this.everHealthy && this.failures >= MAX_START_FAILURES) {
      this.state = { kind: "stopped" };
      this.events.onGiveUp(this.name, this.log.lastLines());
      this.settle(false);
      return;
    }
    const delayS = Math.min(MAX_BACKOFF_S, 2 ** (this.failures - 1));
    // A process that exited by itself usually said why; one killed by a signal did not.
    this.events.onCrash(this.name, how, delayS, signal ? [] : this.log.lastLines());
    const timer = setTimeout(
      () => {
        this.restarts++;
        this.start();
      },
      delayS * (this.spec.backoffUnitMs ?? 1000),
    );
    this.state = { kind: "backoff", timer };
  }

  /** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
  async stop(graceMs: number): Promise<void> {
    const s = this.state;
    if (s.kind === "backoff") clearTimeout(s.timer);
    if (s.kind !== "starting" && s.kind !== "healthy" && s.kind !== "stopping") {
      this.state = { kind: "stopped" };
      return;
    }
    const child = s.child;
    this.state = { kind: "stopping", child };
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await gone;
    clearTimeout(timer);
  }

  /** Immediate SIGKILL (a second Ctrl-C). */
  kill(): void {
    const s = this.state;
    if (s.kind === "starting" || s.kind === "healthy" || s.kind === "stopping")
      s.child.kill("SIGKILL");
  }
}
