/**
 * The model failing: an outage (UNAVAILABLE) that ends loses nothing and dead-letters nothing,
 * the worker holding its messages meanwhile (worker/src/circuits.ts); a call that never
 * succeeds for a reason that is not an outage ends on the dead-letter topic through the
 * subscription's dead-letter policy.
 */
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { runLoad } from "../../local/run/runLoad";
import { FAST_REDELIVERY, testPlatform } from "./platform";

describe("model failures", () => {
  it("loses nothing and spends no delivery attempt when the model is UNAVAILABLE for a while and then recovers", async () => {
    const platform = await testPlatform({
      inputSubscription: { ...FAST_REDELIVERY, maxDeliveryAttempts: 5 },
    });
    const worker = platform.startWorker({ maxBatchSize: 20, maxBatchDelayMs: 50, maxRetries: 2 });
    // Ready only while the model answers (a worker does not start on a model that does not).
    await worker.ready();
    platform.model.setFaults({ errorRate: 1, errorCode: status.UNAVAILABLE });

    const recovery = setTimeout(() => platform.model.setFaults({ errorRate: 0 }), 4000);
    try {
      const result = await runLoad(platform, {
        messages: 200,
        rate: 100,
        poisonShare: 0,
        timeoutMs: 90_000,
        runId: "outage",
      });
      await result.collector.close();
      expect(result.complete).toBe(true);
      expect(result.collector.summary({})).toMatchObject({
        published: 200,
        predicted: 200,
        deadLettered: 0,
        lost: 0,
      });
      // Held, not nacked: the outage cost no message a delivery attempt.
      expect(await worker.stop()).toBe(0);
      expect(worker.finalStats()?.nackCauses).toEqual({});
    } finally {
      clearTimeout(recovery);
    }
    // The outage really happened: calls failed before the model recovered.
    expect(platform.model.stats().injectedErrors).toBeGreaterThan(0);
  });

  it("moves a message whose model call keeps failing (INTERNAL, not an outage) to the dead-letter topic after maxDeliveryAttempts", async () => {
    const maxDeliveryAttempts = 5; // Pub/Sub's minimum
    const platform = await testPlatform({
      inputSubscription: { ...FAST_REDELIVERY, maxDeliveryAttempts },
      model: { faults: { errorRate: 1, errorCode: status.INTERNAL } },
    });
    const worker = platform.startWorker({ maxBatchSize: 5, maxBatchDelayMs: 20, maxRetries: 0 });
    await worker.ready();

    const result = await runLoad(platform, {
      messages: 3,
      rate: 0,
      poisonShare: 0,
      timeoutMs: 90_000,
      runId: "failing",
    });
    await result.collector.close();
    expect(result.complete).toBe(true);
    for (const outcome of result.collector.outcomes()) {
      expect(outcome.predictions).toBe(0);
      expect(outcome.deadLetters).toHaveLength(1);
      expect(outcome.deadLetters[0]).toMatchObject({ byPolicy: true, deliveryCount: maxDeliveryAttempts });
    }
    expect(result.collector.summary({})).toMatchObject({
      published: 3,
      predicted: 0,
      deadLettered: 3,
      lost: 0,
    });
  });
});
