/**
 * Poison messages (each kind the worker can meet) reach the dead-letter topic with
 * their reason, the original data and the input's message id; their valid
 * neighbours, batched with them, are still predicted.
 */
import { describe, expect, it } from "vitest";
import { ATTRIBUTES } from "../../contract";
import { eventStream, EXPECTED_REASON, POISON_KINDS } from "../../local/load/events";
import { runLoad } from "../../local/run/runLoad";
import { testPlatform } from "./platform";

describe("poison messages", () => {
  it("dead-letters each poison kind with its reason and message; the rest are predicted", async () => {
    const platform = await testPlatform();
    const worker = platform.startWorker({ maxBatchSize: 10, maxBatchDelayMs: 50 });
    await worker.ready();

    const stream = { count: 150, entities: 200, poisonShare: 0.3, runId: "poison" };
    const result = await runLoad(platform, {
      messages: 150,
      rate: 0,
      poisonShare: 0.3,
      timeoutMs: 60_000,
      runId: "poison",
      stream,
    });
    await result.collector.close();
    expect(result.complete).toBe(true);

    const sent = new Map([...eventStream(stream)].map((message) => [message.key, message]));
    const outcomes = result.collector.outcomes();
    const poisonKinds = new Set<string>();
    for (const outcome of outcomes) {
      const kind = outcome.published.kind;
      if (kind === "valid") {
        expect(outcome.predictions, `valid event ${outcome.published.key}`).toBe(1);
        expect(outcome.deadLetters).toEqual([]);
        continue;
      }
      poisonKinds.add(kind);
      expect(outcome.predictions, `${kind} event ${outcome.published.key}`).toBe(0);
      expect(outcome.deadLetters).toHaveLength(1);
      const [deadLetter] = outcome.deadLetters;
      expect(deadLetter).toMatchObject({ reason: EXPECTED_REASON[kind], byPolicy: false });
      expect(deadLetter!.message).toBeTruthy();
      expect(deadLetter!.attributes[ATTRIBUTES.inputMessageId]).toBe(outcome.published.id);
      expect(sent.get(outcome.published.key)?.kind).toBe(kind);
    }
    expect([...poisonKinds].sort()).toEqual([...POISON_KINDS].sort());

    const summary = result.collector.summary({});
    expect(summary.lost).toBe(0);
    expect(summary.deadLettered).toBe(outcomes.filter((o) => o.published.kind !== "valid").length);
  });

  it("names the out-of-range feature in the model's rejection", async () => {
    const platform = await testPlatform();
    const worker = platform.startWorker({ maxBatchSize: 10, maxBatchDelayMs: 50 });
    await worker.ready();
    const id = await platform.clients.pubsub.topic(platform.messaging.events.topic).publishMessage({
      json: { eventId: "e-1", entityId: "entity-000001", features: { monetary_30d: 5e6 } },
    });
    const [deadLetter] = await new Promise<[Record<string, string>]>((resolve) => {
      const subscription = platform.clients.pubsub.subscription(platform.messaging.deadLetterSubscription);
      subscription.on("message", (message) => {
        message.ack();
        void subscription.close().then(() => resolve([message.attributes]));
      });
    });
    expect(deadLetter[ATTRIBUTES.inputMessageId]).toBe(id);
    expect(deadLetter[ATTRIBUTES.errorReason]).toBe(EXPECTED_REASON["out-of-range"]);
    expect(deadLetter[ATTRIBUTES.errorMessage]).toContain('feature "monetary_30d" = 5000000 is out of range');
  });
});
