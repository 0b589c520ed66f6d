/**
 * Client-side flow control bounds what the worker holds, on the emulator too (which ignores
 * StreamingPullRequest.max_outstanding_messages): with a backlog far larger than flow control
 * and a slow model, the client holds at most `PAUSE_AT_FLOW_CONTROL_MULTIPLE` x `maxMessages`
 * leases (plus what one check interval lets in), not the backlog (worker/src/pullBackpressure.ts).
 */
import { describe, expect, it } from "vitest";
import { eventStream, publishLoad } from "../../local";
import { testPlatform } from "./platform";

describe("pull backpressure", () => {
  it("holds about 10x flow control of a 4,000-message backlog, not the backlog", async () => {
    const platform = await testPlatform({ entities: 100, model: { latency: { fixedMs: 200 } } });
    await publishLoad(platform.clients.pubsub, eventStream({ count: 4000, entities: 100, runId: "bp" }), {
      topic: platform.messaging.events.topic,
      rate: 0,
      onPublished: () => undefined,
    });
    // Flow control = maxBatchSize x maxInFlight x 2 = 20 messages (pause at 200); ~50 msg/s through the model.
    const worker = platform.startWorker({ maxBatchSize: 10, maxInFlight: 1, maxBatchDelayMs: 50 });
    await worker.ready();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await worker.stop(30_000)).toBe(0);
    const peakLeased = worker.finalStats()?.peakLeased;
    expect(peakLeased).toBeGreaterThan(0);
    // Without the pause, the emulator streams the whole backlog in within a second or two.
    expect(peakLeased).toBeLessThan(1000);
  });
});
