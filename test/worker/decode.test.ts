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

describe("decodeEvent: cheap checks first", () => {
  it("refuses an event larger than one predict request before parsing it", () => {
    const features = Object.fromEntries(Array.from({ length: 400_000 }, (_, i) => [`f${i}`, 0.5]));
    const data = Buffer.from(JSON.stringify({ eventId: "e1", entityId: "u1", features }));
    expect(data.length).toBeGreaterThan(5_000_000);
    const decoded = decodeEvent(data, { maxEventBytes: 1_500_000 });
    expect(decoded).toMatchObject({
      ok: false,
      reason: "instance_too_large",
      message: expect.stringContaining("refused before it is parsed"),
    });
  });

  it("parses an event within the limit as before", () => {
    const data = Buffer.from(JSON.stringify({ eventId: "e1", entityId: "u1", features: { a: 1 } }));
    expect(decodeEvent(data, { maxEventBytes: data.length })).toMatchObject({ ok: true });
  });

  it('refuses an inline feature named "__proto__" by name rather than lose it', () => {
    expect(decode('{"eventId":"e1","entityId":"u1","features":{"a":1,"__proto__":2}}')).toEqual({
      ok: false,
      reason: "invalid_features",
      message: expect.stringContaining('"__proto__"'),
    });
  });
});
