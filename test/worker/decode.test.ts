import { describe, expect, it } from "vitest";
import { decodeEvent } from "../../worker/src/decode";

const decode = (value: unknown) =>
  decodeEvent(Buffer.from(typeof value === "string" ? value : JSON.stringify(value)));

describe("decodeEvent", () => {
  it("accepts an event with ids, inline features and an event time", () => {
    expect(
      decode({ eventId: "e1", entityId: "u1", features: { a: 1.5 }, eventTime: "2026-11-22T00:00:00Z" }),
    ).toEqual({
      ok: true,
      event: { eventId: "e1", entityId: "u1", features: { a: 1.5 }, eventTime: "2026-11-22T00:00:00Z" },
    });
    expect(decode({ eventId: "e1", entityId: "u1" })).toEqual({
      ok: true,
      event: { eventId: "e1", entityId: "u1" },
    });
  });

  it.each([
    ["not json", "{oops", "invalid_json"],
    ["an array", [1, 2], "invalid_event"],
    ["a number", 42, "invalid_event"],
    ["no eventId", { entityId: "u1" }, "missing_event_id"],
    ["an empty eventId", { eventId: "", entityId: "u1" }, "missing_event_id"],
    ["a numeric eventId", { eventId: 7, entityId: "u1" }, "missing_event_id"],
    ["no entityId", { eventId: "e1" }, "missing_entity_id"],
    ["a huge entityId", { eventId: "e1", entityId: "x".repeat(5000) }, "invalid_event"],
    ["features as a list", { eventId: "e1", entityId: "u1", features: [1] }, "invalid_features"],
    ["features as a string", { eventId: "e1", entityId: "u1", features: "a=1" }, "invalid_features"],
  ])("classifies %s as poison", (_what, value, reason) => {
    const decoded = decode(value);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.reason).toBe(reason);
      expect(decoded.message.length).toBeGreaterThan(10);
    }
  });

  it("keeps inline values of any type: they are typed against the model's features later", () => {
    const features = { plan: "gold", tags: ["a"], amount: 12, flag: true, missing: null };
    expect(decode({ eventId: "e1", entityId: "u1", features })).toEqual({
      ok: true,
      event: { eventId: "e1", entityId: "u1", features },
    });
  });
});
