/**
 * Is a local worker consuming a subscription on the emulator? A streaming pull's open streams
 * are not visible through the Pub/Sub API (the emulator's or the cloud's), so locally the check is
 * the process table: a worker is a live process whose environment names this emulator
 * (`PUBSUB_EMULATOR_HOST`) and this subscription (`SI_INPUT_SUBSCRIPTION`, `WORKER_ENV.subscription`),
 * which is how local/ starts every worker (`localWorkerEnv`). Linux /proc; own user's processes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { WORKER_ENV } from "../../contract";
import type { WorkerPresence } from "./clients";

function environOf(pid: number): Map<string, string> | undefined {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (state.slice(state.lastIndexOf(")") + 2).startsWith("Z")) return undefined; // a zombie runs nothing
    const entries = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    return new Map(
      entries
        .filter((e) => e.includes("="))
        .map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]),
    );
  } catch {
    return undefined; // gone, or another user's
  }
}

/** Pids of live local workers on `subscription` at `emulatorHost`. */
export function localWorkerPids(emulatorHost: string, subscription: string): number[] {
  const pids = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid);
  return pids.filter((pid) => {
    const env = environOf(pid);
    return (
      env?.get("PUBSUB_EMULATOR_HOST") === emulatorHost && env.get(WORKER_ENV.subscription) === subscription
    );
  });
}

export function localWorkerPresence(emulatorHost: string, subscription: string): WorkerPresence {
  const pids = localWorkerPids(emulatorHost, subscription);
  return pids.length > 0
    ? {
        running: true,
        evidence: `local process ${pids.join(", ")} has ${WORKER_ENV.subscription}=${subscription}`,
      }
    : {
        running: false,
        evidence: `no local process has ${WORKER_ENV.subscription}=${subscription} for ${emulatorHost}`,
      };
}
