// Worker-thread entry for Argon2id (plain JavaScript: worker threads do not inherit the tsx
// loader on Node 20). Each worker lowers its own scheduling priority (nice) so that, when
// cores are scarce, the event loop answering token validations runs before password hashing.
// Messages in: { id, op: "hash" | "verify", password, hash?, memoryCost, timeCost, parallelism }.
// Messages out: { ready: true, tid } once, then { id, ok, value?, error? } per job.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { hashSync, verifySync } from "@node-rs/argon2";

const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id (a const enum, so spelled out here)

/** Renices the calling thread (Linux accepts a thread id where a pid is expected). */
function lowerOwnPriority(nice) {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid)) return undefined;
    setPriority(tid, nice);
    return tid;
  } catch {
    return undefined; // not Linux, or not permitted: hashing still works at normal priority
  }
}

function run(job) {
  try {
    if (job.op === "hash") {
      const value = hashSync(job.password, {
        algorithm: ARGON2ID,
        memoryCost: job.memoryCost,
        timeCost: job.timeCost,
        parallelism: job.parallelism,
      });
      return { id: job.id, ok: true, value };
    }
    let value = false;
    try {
      value = verifySync(job.hash ?? "", job.password);
    } catch {
      value = false; // a malformed stored hash never matches
    }
    return { id: job.id, ok: true, value };
  } catch (e) {
    return { id: job.id, ok: false, error: e instanceof Error ? e.message : "argon2 failed" };
  }
}

if (parentPort) {
  const port = parentPort;
  const tid = lowerOwnPriority(workerData?.nice ?? 10);
  port.postMessage({ ready: true, tid });
  port.on("message", (job) => port.postMessage(run(job)));
}
