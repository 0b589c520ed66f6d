import { EventEmitter } from "node:events";
import type { PubSub } from "@google-cloud/pubsub";
import { describe, expect, it } from "vitest";
import { ATTRIBUTES } from "../../../contract";
import { OutcomeCollector } from "../../../local/outcomes/collector";

/** A PubSub whose subscriptions are emitters the test feeds, by name. */
function fakePubSub() {
  const subscriptions = new Map<string, EventEmitter & { close(): Promise<void> }>();
  const pubsub = {
    subscription: (name: string) => {
      const emitter = Object.assign(new EventEmitter(), { close: async () => {} });
      subscriptions.set(name, emitter);
      return emitter;
    },
  } as unknown as PubSub;
  let n = 0;
  const deliver = (name: string, attributes: Record<string, string>, data = "{}") =>
    subscriptions.get(name)!.emit("message", {
      id: `out-${++n}`,
      data: Buffer.from(data),
      attributes,
      ack: () => {},
    });
  return { pubsub, deliver };
}

describe("the outcome collector holds every output to real Pub/Sub's limits (the emulator does not)", () => {
  it("counts a prediction or dead letter the service would refuse, and names the first", () => {
    const { pubsub, deliver } = fakePubSub();
    const collector = new OutcomeCollector(pubsub, {
      predictionsSubscription: "p",
      deadLetterSubscription: "d",
    });
    collector.start();
    deliver("p", { [ATTRIBUTES.inputMessageId]: "in-1", [ATTRIBUTES.entityId]: "e".repeat(100) });
    expect(collector.limitViolations()).toEqual({ count: 0 });

    deliver("p", { [ATTRIBUTES.inputMessageId]: "in-2", [ATTRIBUTES.entityId]: "e".repeat(2000) });
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`a${i}`, "v"]));
    deliver("d", { ...many, [ATTRIBUTES.inputMessageId]: "in-3" });
    const seen = collector.limitViolations();
    expect(seen.count).toBe(2);
    expect(seen.first).toContain('attribute "entity.id" has a value of 2000 bytes; at most 1024');
    expect(collector.summary({}).pubsubLimitRejects).toEqual(seen);
  });
});
