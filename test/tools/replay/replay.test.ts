/**
 * `npm run replay-dlq`'s logic against a fake dead-letter subscription: the reason filter, the
 * dry run that acks nothing, the ack only after a successful publish, redeliveries counted once,
 * and every letter not replayed released for the next look.
 */
import { describe, expect, it } from "vitest";
import {
  formatReplay,
  REPLAYED_FROM_ATTRIBUTE,
  replayAttributes,
  replayDeadLetters,
  type DeadLetter,
  type DeadLetterSource,
  type ReplayOptions,
} from "../../../tools/replay/replay";

function letter(id: string, reason?: string): DeadLetter {
  return {
    ackId: `ack-${id}`,
    messageId: id,
    data: Buffer.from(JSON.stringify({ eventId: id, entityId: "e" })),
    attributes: {
      origin: "producer-a",
      ...(reason ? { "error.reason": reason, "error.message": `${reason} in ${id}` } : {}),
      ...(reason ? {} : { CloudPubSubDeadLetterSourceDeliveryCount: "5" }),
    },
  };
}

/** A subscription that hands out its letters in pulls of `batch`, redelivering released ones. */
function fakeSource(letters: DeadLetter[], redeliverHeld = false) {
  const waiting = [...letters];
  const acked: string[] = [];
  const released: string[] = [];
  const source: DeadLetterSource = {
    pull: async (max) => waiting.splice(0, max),
    ack: async (ids) => void acked.push(...ids),
    release: async (ids) => {
      released.push(...ids);
      if (redeliverHeld) {
        for (const id of ids) waiting.push(letters.find((l) => l.ackId === id)!);
      }
    },
  };
  return { source, acked, released, waiting };
}

const OPTIONS: ReplayOptions = { dryRun: false, max: 1000, batch: 2, emptyPulls: 2 };

describe("replay-dlq", () => {
  it("republishes the chosen reason with the original attributes, acks only those, releases the rest", async () => {
    const letters = [
      letter("1", "missing_feature"),
      letter("2", "invalid_json"),
      letter("3", "missing_feature"),
      letter("4"),
    ];
    const fake = fakeSource(letters);
    const published: { data: string; attributes: Record<string, string> }[] = [];
    const report = await replayDeadLetters(
      fake.source,
      async (data, attributes) => {
        published.push({ data: data.toString(), attributes });
        return `new-${published.length}`;
      },
      { ...OPTIONS, reason: "missing_feature" },
    );
    expect(report).toMatchObject({ seen: 4, chosen: 2, republished: 2, failed: [] });
    expect(report.byReason).toEqual({ missing_feature: 2, invalid_json: 1, none: 1 });
    expect(published.map((p) => JSON.parse(p.data).eventId)).toEqual(["1", "3"]);
    expect(published[0]!.attributes).toEqual({ origin: "producer-a", [REPLAYED_FROM_ATTRIBUTE]: "1" });
    expect(fake.acked).toEqual(["ack-1", "ack-3"]);
    expect(fake.released.sort()).toEqual(["ack-2", "ack-4"]);
  });

  it("a dry run publishes and acks nothing and releases every letter", async () => {
    const fake = fakeSource([letter("1", "invalid_json"), letter("2", "invalid_json"), letter("3")]);
    let publishes = 0;
    const options = { ...OPTIONS, dryRun: true };
    const report = await replayDeadLetters(fake.source, async () => String(++publishes), options);
    expect(publishes).toBe(0);
    expect(fake.acked).toEqual([]);
    expect(fake.released.sort()).toEqual(["ack-1", "ack-2", "ack-3"]);
    expect(report).toMatchObject({ seen: 3, chosen: 3, republished: 0 });
    const text = formatReplay(report, options).join("\n");
    expect(text).toContain("dry run: 3 of every reason would be republished; nothing was acked or published");
    expect(text).toMatch(/^\s+2 {2}invalid_json$/m);
    expect(text).toContain("e.g. invalid_json 1: invalid_json in 1 |");
  });

  it("leaves a letter whose publish failed on the subscription, and says so", async () => {
    const fake = fakeSource([letter("1", "model_rejected"), letter("2", "model_rejected")]);
    const report = await replayDeadLetters(
      fake.source,
      async (data) => {
        if (data.toString().includes('"2"')) throw new Error("PERMISSION_DENIED");
        return "ok";
      },
      OPTIONS,
    );
    expect(report.republished).toBe(1);
    expect(report.failed).toEqual([{ messageId: "2", error: "PERMISSION_DENIED" }]);
    expect(fake.acked).toEqual(["ack-1"]);
    expect(fake.released).toEqual(["ack-2"]);
  });

  it("counts a redelivered letter once and stops when only seen letters come back", async () => {
    const fake = fakeSource([letter("1", "invalid_json"), letter("2", "invalid_json")], true);
    const source: DeadLetterSource = {
      ...fake.source,
      // Release at once, as an expired ack deadline would: the same letters come back.
      pull: async (max) => {
        const got = await fake.source.pull(max);
        await fake.source.release(got.map((l) => l.ackId));
        return got;
      },
    };
    const report = await replayDeadLetters(source, async () => "x", { ...OPTIONS, reason: "none" });
    expect(report.seen).toBe(2);
    expect(report.byReason).toEqual({ invalid_json: 2 });
  });

  it("drops only what dead-lettering added from the attributes", () => {
    expect(replayAttributes(letter("9"))).toEqual({ origin: "producer-a", [REPLAYED_FROM_ATTRIBUTE]: "9" });
  });
});
