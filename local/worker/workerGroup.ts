/**
 * N worker processes on the one input subscription: what N instances of the worker
 * pool are, on this machine. Pub/Sub spreads the subscription's messages over every
 * streaming-pull client, so no process is told its share.
 */
import type { LocalWorkerSettings } from "./localWorkerSettings";
import type { WorkerFinalStats, WorkerProcess } from "./spawnWorker";

export interface WorkerGroup {
  readonly workers: readonly WorkerProcess[];
  /** Resolves once every worker is ready. */
  ready(): Promise<void>;
  /** Resolves with the first worker that exits before `stop()`. */
  readonly unexpectedExit: Promise<WorkerProcess>;
  /** Drains and stops them all. */
  stop(): Promise<void>;
  /** Micro-batch sizes summed over the workers; undefined if any worker did not report. */
  batchSizes(): WorkerFinalStats["batchSizes"] | undefined;
}

export function startWorkerGroup(
  start: (settings?: LocalWorkerSettings) => WorkerProcess,
  count: number,
  settings?: LocalWorkerSettings,
): WorkerGroup {
  const workers = Array.from({ length: count }, () => start(settings));
  let stopping = false;
  const unexpectedExit = Promise.race(
    workers.map((w) =>
      w.process.exited.then(() => (stopping ? new Promise<WorkerProcess>(() => undefined) : w)),
    ),
  );
  return {
    workers,
    unexpectedExit,
    ready: async () => {
      await Promise.all(workers.map((w) => w.ready()));
    },
    stop: async () => {
      stopping = true;
      await Promise.all(workers.map((w) => w.stop()));
    },
    batchSizes: () => {
      const all = workers.map((w) => w.finalStats()?.batchSizes);
      if (all.some((b) => b === undefined)) return undefined;
      const merged: Record<string, number> = {};
      for (const sizes of all) {
        for (const [size, n] of Object.entries(sizes ?? {})) merged[size] = (merged[size] ?? 0) + n;
      }
      return merged;
    },
  };
}
