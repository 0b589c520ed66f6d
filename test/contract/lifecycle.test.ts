/**
 * The worker's lifecycle lines are a contract between the worker and what runs it (the local
 * runner, bench, chaos): the worker's own logger must write lines `parseLifecycleLine` reads.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseLifecycleLine, WORKER_LIFECYCLE, type WorkerFinalStats } from "../../contract/lifecycle";
import { createLogger } from "../../worker/src/logger";

/** Lines the worker's logger writes, as the runner receives them on stdout. */
async function loggedLines(write: (log: ReturnType<typeof createLogger>) => void): Promise<string[]> {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  });
  const logger = createLogger({ level: "info", base: { region: "us-central1" }, destination });
  write(logger);
  await new Promise((resolve) => setImmediate(resolve));
  return chunks
    .join("")
    .split("\n")
    .filter((line) => line.length > 0);
}

describe("the worker's lifecycle lines", () => {
  it("are read back from what the worker's logger writes", async () => {
    const stats: WorkerFinalStats = { batchSizes: { "1": 2, "50": 7 }, outcomes: { predicted: 352 } };
    const lines = await loggedLines((log) => {
      log.info({ maxBatchSize: 50 }, WORKER_LIFECYCLE.started);
      log.info({ queued: 3 }, "draining: finishing received messages");
      log.info({ nacked: 0, elapsedMs: 12, stats }, WORKER_LIFECYCLE.drained);
    });
    expect(lines.map(parseLifecycleLine)).toEqual([
      { event: "started" },
      undefined,
      { event: "drained", stats },
    ]);
  });

  it("are told apart from other lines that mention them", () => {
    expect(parseLifecycleLine(`{"message":"not ${WORKER_LIFECYCLE.started}"}`)).toBeUndefined();
    expect(parseLifecycleLine(`{"message":"x","note":"${WORKER_LIFECYCLE.drained}"}`)).toBeUndefined();
    expect(parseLifecycleLine(`worker said "${WORKER_LIFECYCLE.started}"`)).toBeUndefined();
    expect(parseLifecycleLine(`{"message":"${WORKER_LIFECYCLE.drained}",`)).toBeUndefined();
  });
});
