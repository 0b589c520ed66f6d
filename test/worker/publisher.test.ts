import { describe, expect, it } from "vitest";
import {
  ATTRIBUTES,
  DEAD_LETTER_ATTRIBUTES,
  DEAD_LETTER_ENVELOPE_VERSION,
  pubsubMessageProblems,
  type DeadLetterEnvelope,
  type PredictionRecord,
} from "../../contract";
import { deadLetterMessage, predictionMessage } from "../../worker/src/publisher";

const record = (entityId: string): PredictionRecord => ({
  messageId: "m1",
  eventId: "e1",
  entityId,
  modelId: "model",
  prediction: { score: 0.5 },
  score: 0.5,
  eventPublishTime: "2026-12-04T00:00:00.000Z",
  predictTime: "2026-12-04T00:00:01.000Z",
  predictLatencyMs: 3,
});

describe("predictionMessage within Pub/Sub's limits", () => {
  it("bounds the entity id attribute and keeps the whole id in the body", () => {
    const longId = "e".repeat(4096); // decode.ts accepts ids up to 4,096 bytes
    const out = predictionMessage({ record: record(longId), endToEndMs: 5 });
    expect(pubsubMessageProblems(out)).toEqual([]);
    expect(Buffer.byteLength(out.attributes[ATTRIBUTES.entityId]!)).toBe(1024);
    expect((JSON.parse(out.data.toString()) as PredictionRecord).entityId).toBe(longId);
  });
});

const fields = (attributes: Record<string, string>, data = Buffer.from("{}")) => ({
  inputMessageId: "in-1",
  data,
  attributes,
  reason: "invalid_features" as const,
  message: "why ".repeat(1000),
  entityId: "e".repeat(4096),
});

describe("deadLetterMessage within Pub/Sub's limits", () => {
  it("copies the input's attributes beside its own, bounded, when they fit", () => {
    const out = deadLetterMessage(fields({ "load.key": "k1" }));
    expect(pubsubMessageProblems(out)).toEqual([]);
    expect(out.data.toString()).toBe("{}");
    expect(out.attributes).toMatchObject({ "load.key": "k1", [ATTRIBUTES.errorReason]: "invalid_features" });
    expect(Buffer.byteLength(out.attributes[ATTRIBUTES.errorMessage]!)).toBeLessThanOrEqual(1024);
    expect(Buffer.byteLength(out.attributes[ATTRIBUTES.entityId]!)).toBe(1024);
  });

  it("moves 100 input attributes into an envelope body rather than exceed 100 attributes", () => {
    const input = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`a${i}`, `v${i}`]));
    const data = Buffer.from('{"eventId":"e1"}');
    const out = deadLetterMessage(fields(input, data));
    expect(pubsubMessageProblems(out)).toEqual([]);
    expect(out.attributes[DEAD_LETTER_ATTRIBUTES.body]).toBe(DEAD_LETTER_ENVELOPE_VERSION);
    expect(out.attributes[ATTRIBUTES.errorReason]).toBe("invalid_features");
    const envelope = JSON.parse(out.data.toString()) as DeadLetterEnvelope;
    expect(envelope.attributes).toEqual(input);
    expect(Buffer.from(envelope.data, "base64").equals(data)).toBe(true);
  });

  it("leaves out (and counts) input attributes only when even the envelope is too large", () => {
    const input = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`a${i}`, `v${i}`]));
    const out = deadLetterMessage(fields(input, Buffer.alloc(9_000_000, 0x61)));
    expect(pubsubMessageProblems(out)).toEqual([]);
    expect(out.data.length).toBe(9_000_000);
    const kept = Object.keys(out.attributes).filter((key) => key.startsWith("a"));
    expect(Number(out.attributes[DEAD_LETTER_ATTRIBUTES.attributesLeftOut])).toBe(100 - kept.length);
    expect(kept.length).toBeGreaterThan(90);
  });
});
