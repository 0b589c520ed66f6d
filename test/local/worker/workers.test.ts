import { describe, expect, it } from "vitest";
import { parseStartArgs } from "../../../local/startArgs";
import { startWorkerGroup } from "../../../local/worker/workerGroup";
import type { WorkerFinalStats, WorkerProcess } from "../../../local/worker/spawnWorker";

describe("npm start --workers", () => {
  it("runs one worker unless told, and takes 1..8", () => {
    expect(parseStartArgs([])).toMatchObject({ workers: 1 });
    expect(parseStartArgs(["--workers", "3"])).toMatchObject({ workers: 3 });
    for (const bad of ["0", "9", "1.5", "two"]) {
      expect(() => parseStartArgs(["--workers", bad])).toThrow(
        `--workers must be a whole number from 1 to 8, got "${bad}"`,
      );
    }
  });
});

/** A worker process stand-in: exits when told, reports the given batch sizes after a stop. */
function fakeWorker(batchSizes: WorkerFinalStats["batchSizes"] | undefined) {
  let exit: () => void = () => undefined;
  let stopped = false;
  const exited = new Promise<void>((resolve) => (exit = resolve));
  const worker = {
    process: { exited, pid: 1, recentOutput: () => "" },
    ready: () => Promise.resolve(),
    stop: () => {
      stopped = true;
      exit();
      return Promise.resolve(0);
    },
    kill: () => Promise.resolve(),
    finalStats: () => (stopped && batchSizes ? { batchSizes } : undefined),
  } as unknown as WorkerProcess;
  return { worker, crash: exit };
}

describe("a group of workers", () => {
  it("starts the count asked for and sums their batch sizes after a stop", async () => {
    const fakes = [fakeWorker({ "50": 10, "20": 1 }), fakeWorker({ "50": 5 })];
    let i = 0;
    const group = startWorkerGroup(() => (fakes[i++] as { worker: WorkerProcess }).worker, 2);
    expect(group.workers).toHaveLength(2);
    await group.ready();
    await group.stop();
    expect(group.batchSizes()).toEqual({ "50": 15, "20": 1 });
  });

  it("says which worker died before the stop, and not the ones stopped on purpose", async () => {
    const fakes = [fakeWorker({}), fakeWorker({})];
    let i = 0;
    const group = startWorkerGroup(() => (fakes[i++] as { worker: WorkerProcess }).worker, 2);
    fakes[1]?.crash();
    expect(await group.unexpectedExit).toBe(fakes[1]?.worker);
  });

  it("has no batch sizes when a worker did not report them", async () => {
    const fakes = [fakeWorker({ "50": 1 }), fakeWorker(undefined)];
    let i = 0;
    const group = startWorkerGroup(() => (fakes[i++] as { worker: WorkerProcess }).worker, 2);
    await group.stop();
    expect(group.batchSizes()).toBeUndefined();
  });
});
