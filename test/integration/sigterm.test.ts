/**
 * SIGTERM mid-stream: the worker drains (finishes or nacks what it holds) and exits
 * cleanly; a worker started afterwards accounts for everything.
 */
import { describe, expect, it } from "vitest";
import { runLoad } from "../../local/run/runLoad";
import { FAST_REDELIVERY, testPlatform } from "./platform";

describe("SIGTERM mid-stream", () => {
  it("drains, exits 0, and after a restart nothing is lost", async () => {
    const platform = await testPlatform({
      inputSubscription: FAST_REDELIVERY,
      model: { latency: { fixedMs: 30 } },
    });
    const first = platform.startWorker({ maxBatchSize: 20, maxBatchDelayMs: 50 });
    await first.ready();

    let progressedBeforeStop = 0;
    let restarted = false;
    const stopAndRestart = async () => {
      progressedBeforeStop = platform.model.stats().answered;
      const exitCode = await first.stop(30_000);
      expect(exitCode).toBe(0);
      await platform.startWorker({ maxBatchSize: 20, maxBatchDelayMs: 50 }).ready();
      restarted = true;
    };
    const interruption = new Promise<void>((resolve, reject) => {
      setTimeout(() => stopAndRestart().then(resolve, reject), 2000);
    });

    // 1500 events at 500/s: the stop lands while events are still arriving.
    const result = await runLoad(platform, {
      messages: 1500,
      rate: 500,
      poisonShare: 0,
      timeoutMs: 120_000,
      runId: "sigterm",
    });
    await interruption;
    await result.collector.close();

    expect(restarted).toBe(true);
    expect(progressedBeforeStop).toBeGreaterThan(0);
    expect(result.complete).toBe(true);
    const summary = result.collector.summary({});
    expect(summary).toMatchObject({ published: 1500, deadLettered: 0, lost: 0, predicted: 1500 });
    expect(first.process.isRunning()).toBe(false);
    // It stopped through its drain (which logs its final counters), not by being killed.
    expect(first.finalStats()).toBeDefined();
  });
});
