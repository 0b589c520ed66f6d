/**
 * The whole pipeline through the real clients and the real worker process:
 * every event is enriched from Bigtable, scored by the stand-in and published.
 */
import { describe, expect, it } from "vitest";
import type { InferenceEvent } from "../../contract";
import { eventStream } from "../../local/load/events";
import { syntheticEntities } from "../../local/provision/features";
import { runLoad } from "../../local/run/runLoad";
import { score } from "../../local/vertex/model";
import { LOCAL_MODEL_ID } from "../../local/worker/spawnWorker";
import { testPlatform } from "./platform";

describe("happy path", () => {
  it("predicts every event with the score of its stored features merged with the inline ones; nothing lost", async () => {
    const platform = await testPlatform({ entities: 200 });
    const worker = platform.startWorker({ maxBatchSize: 20, maxBatchDelayMs: 50 });
    await worker.ready();

    const stream = { count: 400, entities: 200, runId: "happy", inlineShare: 0.3 };
    const result = await runLoad(platform, {
      messages: stream.count,
      rate: 0,
      poisonShare: 0,
      timeoutMs: 60_000,
      runId: "happy",
      stream,
    });
    await result.collector.close();

    expect(result.complete).toBe(true);
    const summary = result.collector.summary({});
    expect(summary).toMatchObject({ published: 400, predicted: 400, deadLettered: 0, lost: 0 });

    const stored = new Map(syntheticEntities(200).map((entity) => [entity.entityId, entity.features]));
    const events = new Map<string, InferenceEvent>();
    for (const message of eventStream(stream)) events.set(message.key, JSON.parse(message.data.toString()));
    for (const outcome of result.collector.outcomes()) {
      const event = events.get(outcome.published.key)!;
      expect(outcome.prediction).toMatchObject({
        messageId: outcome.published.id,
        eventId: event.eventId,
        entityId: event.entityId,
        modelId: LOCAL_MODEL_ID,
      });
      const features = { ...stored.get(event.entityId), ...(event.features as Record<string, number>) };
      expect(outcome.prediction!.score).toBeCloseTo(score(features), 12);
    }
    // The stand-in saw micro-batches, not one call per event.
    expect(platform.model.stats().requests).toBeLessThan(400 / 2);
  });
});
