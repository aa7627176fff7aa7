// `npm start`: the whole platform on this machine for development, under one supervisor.
// Order matters: arguments, then the port check and the data-dir lock (nothing is written
// before both pass), then the data dir, certificates and configs, then the services.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ensureAdminPassword, passwordToShow } from "./admin-password.ts";
import { serviceSpec } from "./child-env.ts";
import { certificateNames, platformContext } from "./context.ts";
import {
  dropProxyState,
  otherSupervisor,
  prepareDataDir,
  releaseDataDir,
  resetDataDir,
  resetRefusal,
} from "./data-dir.ts";
import type { PlatformContext, ServiceDescriptor } from "./descriptor.ts";
import { pollUntil, probe } from "./health.ts";
import { type Layout, layoutOf, readState, writeState } from "./layout.ts";
import { parseStartOptions, type StartOptions, USAGE, UsageError } from "./options.ts";
import { ensurePlatformCertificates } from "./platform-ca.ts";
import {
  conflictMessage,
  DEFAULT_PORT_BASE,
  findPortConflict,
  type Ports,
  portsFrom,
} from "./ports.ts";
import { buildProfile, writeProfile } from "./profile.ts";
import { readyReport } from "./ready-report.ts";
import { SERVICES } from "./registry.ts";
import { ServiceLog } from "./service-log.ts";
import { proxySeed } from "./services/mc-proxy.ts";
import { devUnsealFile } from "./services/metacrypt.ts";
import { SupervisedService, type SupervisorEvents } from "./supervisor.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../..");
const STOP_GRACE_MS = 10_000;
let shuttingDown = false;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function options(): StartOptions {
  try {
    const optional = SERVICES.filter((s) => s.unavailable).map((s) => s.name);
    return parseStartOptions(process.argv.slice(2), process.env, REPO_ROOT, optional);
  } catch (e) {
    if (e instanceof UsageError) fail(`npm start: ${e.message} (npm start -- --help)`, 2);
    throw e;
  }
}

/** Everything that can refuse the start, checked before anything is created. */
async function preflight(o: StartOptions, l: Layout): Promise<{ base: number; ports: Ports }> {
  const other = otherSupervisor(l);
  if (other !== undefined)
    fail(`npm start: another supervisor (pid ${other}) is running on ${l.root}; stop it first.`);
  if (o.reset) {
    const refusal = resetRefusal(l);
    if (refusal) fail(`npm start: --reset: ${refusal}.`);
  }
  const base = o.portBase ?? (o.reset ? undefined : readState(l)?.port_base) ?? DEFAULT_PORT_BASE;
  const ports = portsFrom(base);
  const conflict = await findPortConflict(ports);
  if (conflict) fail(conflictMessage(conflict, base));
  return { base, ports };
}

/** A service npm start does not run this time, and why (with how to enable it). */
interface Skipped {
  name: string;
  reason: string;
}

/** The optional services left out or unable to run on this machine. */
function unavailableServices(without: readonly string[]): Skipped[] {
  return SERVICES.flatMap((s) => {
    const reason = without.includes(s.name) ? `left out (--without ${s.name})` : s.unavailable?.();
    return reason === undefined ? [] : [{ name: s.name, reason }];
  });
}

/** Data dir, state, certificates and every service's config; the context the services get. */
function prepare(
  o: StartOptions,
  l: Layout,
  base: number,
  ports: Ports,
  active: readonly ServiceDescriptor[],
): PlatformContext {
  if (o.reset) {
    resetDataDir(l);
    console.log(`reset: deleted ${l.root}`);
  }
  const saved = readState(l);
  prepareDataDir(
    l,
    SERVICES.map((s) => s.name),
  );
  const adminPassword = ensureAdminPassword(l.passwordFile, existsSync(l.mcias.db));
  const c = platformContext(active, { repoRoot: REPO_ROOT, layout: l, ports, adminPassword });
  const seed = proxySeed(c);
  // Other ports or routes than the database was seeded with (or a data dir from before the seed
  // was kept): MC-Proxy only seeds an empty database.
  if (saved?.proxy_seed !== seed && existsSync(l.proxy.db)) {
    dropProxyState(l);
    console.log(`MC-Proxy listener or routes changed (port base ${base}): its database re-seeded`);
  }
  writeState(l, { port_base: base, proxy_seed: seed });
  for (const s of active) s.writeConfig(c);
  ensurePlatformCertificates(c, SERVICES, certificateNames(active, c));
  console.log(
    `metacrypt DEV MODE: unsealed with ${devUnsealFile(c)} (0600); the platform's certificates come from its CA ${l.caCert}`,
  );
  return c;
}

function events(logsDir: string, giveUp: () => void, optional: Set<string>): SupervisorEvents {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return {
    onHealthy: (name, pid, restarts, ms) =>
      console.log(
        restarts === 0
          ? `${name.padEnd(9)} healthy after ${s(ms)} (pid ${pid})`
          : `${name.padEnd(9)} healthy again after ${s(ms)} (pid ${pid}, restart ${restarts})`,
      ),
    onCrash: (name, how, retryInS, lastLines) => {
      console.error(`${name.padEnd(9)} exited (${how}); restarting in ${retryInS} s`);
      for (const line of lastLines.slice(-3)) console.error(`${name.padEnd(9)} | ${line}`);
    },
    onSlow: (name, waitedS) =>
      console.error(
        `${name.padEnd(9)} not healthy after ${waitedS} s; still waiting (see its log)`,
      ),
    onGiveUp: (name, lastLines) => {
      for (const line of lastLines.slice(-5)) console.error(`${name.padEnd(9)} | ${line}`);
      console.error(
        `${name} exited before it became healthy, 5 times in a row; see ${logsDir}/${name}.log`,
      );
      if (optional.has(name)) console.error(`${name.padEnd(9)} skipped; the rest runs on`);
      else giveUp();
    },
  };
}

/**
 * Installs the signal handlers; returns the same shutdown for other reasons to stop. Installed
 * before anything else: until a listener exists, SIGTERM kills Node outright (exit by signal,
 * children orphaned). The arrays fill in as services start; a stop before then stops nothing.
 */
function handleSignals(
  l: Layout,
  services: SupervisedService[],
  logs: ServiceLog[],
): (reason: string, code: number) => Promise<void> {
  let firstAt = 0;
  const stop = async (reason: string, code = 0) => {
    if (firstAt > 0) {
      // A terminal's Ctrl-C reaches us twice (from the tty and forwarded by npm): only a later
      // second signal means "now".
      if (Date.now() - firstAt > 1_000) for (const s of services) s.kill();
      return;
    }
    firstAt = Date.now();
    shuttingDown = true;
    const names = services.map((s) => s.name).join(", ");
    console.log(`\n${reason}: stopping${names ? ` ${names}` : ""}`);
    await Promise.all(services.map((s) => s.stop(STOP_GRACE_MS)));
    await Promise.all(logs.map((g) => g.close()));
    releaseDataDir(l);
    console.log("stopped");
    process.exit(code);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => void stop(sig));
  return stop;
}

async function main(): Promise<void> {
  const started = Date.now();
  const o = options();
  if (o.help) {
    console.log(USAGE);
    return;
  }
  const l = layoutOf(o.dataDir);
  const services: SupervisedService[] = [];
  const logs: ServiceLog[] = [];
  const stop = handleSignals(l, services, logs);
  const { base, ports } = await preflight(o, l);
  const skipped = unavailableServices(o.without);
  const active = SERVICES.filter((s) => !skipped.some((k) => k.name === s.name));
  let c: PlatformContext;
  try {
    c = prepare(o, l, base, ports, active);
  } catch (e) {
    fail(`npm start: could not prepare ${l.root}: ${(e as Error).message.split("\n")[0]}`);
  }
  for (const k of skipped) console.log(`${k.name.padEnd(9)} skipped: ${k.reason}`);
  console.log(`Metacircular: starting ${active.map((s) => s.name).join(", ")} (data in ${l.root})`);

  const optional = new Set(active.filter((s) => s.unavailable).map((s) => s.name));
  const ev = events(l.logsDir, () => void stop("start-up failed", 1), optional);
  for (const d of active) {
    const log = new ServiceLog(l.logsDir, d.name, o.logs);
    logs.push(log);
    services.push(new SupervisedService(serviceSpec(d, c, SERVICES), log, ev));
  }
  if (shuttingDown) return;
  for (const s of services) s.start();
  const healthy = await Promise.all(services.map((s) => s.whenSettled()));
  if (shuttingDown) return;
  const running = active.filter((_, i) => healthy[i]);
  for (const d of active.filter((_, i) => !healthy[i]))
    skipped.push({ name: d.name, reason: `it did not start; see ${l.logsDir}/${d.name}.log` });
  await ready(c, started, running, skipped);
}

/** After every service is healthy: the route check, the CLI profile and the ready summary. */
async function ready(
  c: PlatformContext,
  started: number,
  running: readonly ServiceDescriptor[],
  skipped: Skipped[],
): Promise<void> {
  const l = c.layout;
  const ca = readFileSync(l.caCert);
  const web = c.port("web");
  const routed = await pollUntil(
    () => probe(`https://127.0.0.1:${web}/v1/health`, { servername: "mcias.localhost", ca }),
    { timeoutMs: 60_000 },
  );
  if (!routed) console.error(`warning: ${c.origin("mcias.localhost")} does not answer yet`);
  const admin = await passwordToShow(
    `http://127.0.0.1:${c.port("mciasHttp")}`,
    l.passwordFile,
    c.adminPassword,
  );
  if (shuttingDown) return;
  const profilePath = writeProfile(
    process.env,
    buildProfile(running, c, admin ? admin.file : null),
  );
  console.log(
    readyReport({
      services: running,
      skipped,
      context: c,
      profilePath,
      admin,
      supervisorPid: process.pid,
      startedMs: Date.now() - started,
    }),
  );
}

await main();
