import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  decodeCell,
  encodeCell,
  featureListSchema,
  FEATURE_TYPES,
  type FeatureSpec,
  type FeatureType,
  type FeatureValue,
  type InferenceEvent,
} from "../../contract";
import { resolveFeatures } from "../../worker/src/features";

const event = (features?: InferenceEvent["features"]): InferenceEvent => ({
  eventId: "e1",
  entityId: "u1",
  ...(features === undefined ? {} : { features }),
});

const declared = (
  ...specs: Array<Partial<FeatureSpec> & Pick<FeatureSpec, "name" | "type">>
): FeatureSpec[] => specs.map((s) => ({ source: "either", required: true, ...s }));

describe("cell encoding (one per declared type)", () => {
  const valueOf: Record<FeatureType, fc.Arbitrary<FeatureValue>> = {
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    string: fc.string(),
    boolean: fc.boolean(),
    "number[]": fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })),
    "string[]": fc.array(fc.string()),
  };

  it.each(FEATURE_TYPES)("reads back what it writes: %s", (type) => {
    fc.assert(
      fc.property(valueOf[type], (value) => {
        const decoded = decodeCell(type, encodeCell(type, value));
        // -0 is written "0" (as in JSON): the same number to a model.
        expect(decoded).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it.each<[FeatureType, string, FeatureValue | undefined]>([
    ["number", "12.5", 12.5],
    ["number", " -3e-2 ", -0.03],
    ["number", "abc", undefined],
    ["number", "", undefined],
    ["number", "0x10", undefined],
    ["number", "Infinity", undefined],
    ["boolean", "true", true],
    ["boolean", "TRUE", undefined],
    ["boolean", "1", undefined],
    ["number[]", "[1,2.5]", [1, 2.5]],
    ["number[]", '[1,"2"]', undefined],
    ["number[]", "1,2", undefined],
    ["string[]", '["a","b"]', ["a", "b"]],
    ["string[]", "[1]", undefined],
    ["string", "", ""],
  ])("decodes a %s cell %j as %j", (type, text, expected) => {
    expect(decodeCell(type, text)).toEqual(expected);
  });
});

describe("resolveFeatures with declared features", () => {
  const spec = declared(
    { name: "amount", type: "number" },
    { name: "plan", type: "string", source: "store" },
    { name: "tags", type: "string[]", required: false },
    { name: "vip", type: "boolean", default: false, required: false },
    { name: "channel", type: "string", source: "event", required: false },
  );

  it("types stored cells by their declared type, lets the event win, defaults and nulls what is optional", () => {
    const stored = { amount: "10", plan: "gold", tags: '["x","y"]', undeclared: "whatever" };
    expect(resolveFeatures(event({ amount: 12.5 }), stored, spec)).toEqual({
      ok: true,
      features: { amount: 12.5, plan: "gold", tags: ["x", "y"], vip: false, channel: null },
    });
  });

  it("takes a store-only feature from the store even when the event carries it, and an event-only one from the event", () => {
    const stored = { amount: "1", plan: "gold", channel: "web" };
    const result = resolveFeatures(event({ plan: "silver", channel: "app" }), stored, spec);
    expect(result).toMatchObject({ ok: true, features: { plan: "gold", channel: "app" } });
  });

  it("counts an inline null as not sent", () => {
    const result = resolveFeatures(event({ amount: null }), { amount: "3", plan: "gold" }, spec);
    expect(result).toMatchObject({ ok: true, features: { amount: 3 } });
  });

  it("dead-letters a missing required feature as missing_feature, naming it and where it was looked for", () => {
    expect(resolveFeatures(event(), { amount: "3" }, spec)).toEqual({
      ok: false,
      reason: "missing_feature",
      message:
        'required feature "plan" (string) is missing: it is read from the store only, and the stored row has no such column for entity "u1"',
    });
  });

  it("dead-letters an inline value of the wrong type as bad_feature, naming the feature, the type and what came", () => {
    expect(resolveFeatures(event({ amount: "12" }), { plan: "gold" }, spec)).toEqual({
      ok: false,
      reason: "bad_feature",
      message: 'feature "amount" in the event is string "12"; expected number',
    });
  });

  it("dead-letters a stored cell that is not of the declared type as bad_feature, with the encoding expected", () => {
    const result = resolveFeatures(event(), { amount: "lots", plan: "gold" }, spec);
    expect(result).toEqual({
      ok: false,
      reason: "bad_feature",
      message:
        'stored feature "amount" of entity "u1" is string "lots"; expected number (UTF-8 decimal, e.g. 12.5 or -3e-2)',
    });
  });

  it("calls an entity with no stored row and none of its features inline unknown (no_features)", () => {
    expect(resolveFeatures(event({ other: 1 }), undefined, spec)).toMatchObject({
      ok: false,
      reason: "no_features",
    });
  });
});

describe("resolveFeatures with nothing declared (today's contract)", () => {
  it("merges stored numbers with inline numbers, inline winning", () => {
    expect(resolveFeatures(event({ a: 2, c: 3 }), { a: "1", b: "1.5" }, undefined)).toEqual({
      ok: true,
      features: { a: 2, b: 1.5, c: 3 },
    });
  });

  it("refuses a stored cell that is not a number as bad_feature instead of dropping it", () => {
    expect(resolveFeatures(event(), { a: "1", country: "FR" }, undefined)).toMatchObject({
      ok: false,
      reason: "bad_feature",
      message: expect.stringContaining('stored feature "country" of entity "u1" is string "FR"'),
    });
  });

  it.each([
    ["a string", "1"],
    ["null", null],
    ["a list", [1]],
  ])("refuses %s inline as invalid_features, naming it", (_what, value) => {
    expect(resolveFeatures(event({ ok: 1, amount: value }), undefined, undefined)).toMatchObject({
      ok: false,
      reason: "invalid_features",
      message: expect.stringContaining("features.amount"),
    });
  });

  it("does not judge a stored cell the event overrides", () => {
    expect(resolveFeatures(event({ country: 1 }), { a: "1", country: "FR" }, undefined)).toEqual({
      ok: true,
      features: { a: 1, country: 1 },
    });
  });

  it("gives no_features when neither the store nor the event has any", () => {
    expect(resolveFeatures(event(), undefined, undefined)).toMatchObject({
      ok: false,
      reason: "no_features",
    });
  });
});

describe("the declared feature list", () => {
  it("makes a feature required unless it has a default, and defaults the source to either", () => {
    expect(
      featureListSchema.parse([
        { name: "a", type: "number" },
        { name: "b", type: "string", default: "none" },
      ]),
    ).toEqual([
      { name: "a", type: "number", source: "either", required: true },
      { name: "b", type: "string", source: "either", required: false, default: "none" },
    ]);
  });

  it.each([
    [
      [{ name: "a", type: "number", default: "x" }],
      '0.default: must be a number (the feature\'s type), got string "x"',
    ],
    [
      [{ name: "a", type: "number", default: 1, required: true }],
      "0.required: a required feature has no default",
    ],
    [
      [
        { name: "a", type: "number" },
        { name: "a", type: "string" },
      ],
      '1.name: declares "a" twice',
    ],
    [[{ name: "a", type: "int" }], "0.type: Invalid option"],
    [[{ name: "a b", type: "number" }], "0.name: must be 1-128 letters"],
    [[], "declare at least one feature"],
  ])("refuses %j", (features, message) => {
    const result = featureListSchema.safeParse(features);
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`.replace(/^: /, ""));
    expect(issues.join("\n")).toContain(message);
  });
});

describe("a prediction the store's features are missing from (model.missingFeatures)", () => {
  it("refuses by default an event with inline features whose entity has no stored row (today's contract)", () => {
    expect(resolveFeatures(event({ a: 1 }), undefined, undefined)).toEqual({
      ok: false,
      reason: "missing_feature",
      message: expect.stringContaining('entity "u1" has no stored row'),
    });
  });

  it("predicts and flags it when the config says flag", () => {
    expect(resolveFeatures(event({ a: 1 }), undefined, undefined, "flag")).toEqual({
      ok: true,
      features: { a: 1 },
      degraded: "missing_stored_row",
    });
  });

  it("with declared features: refuses (or flags) optional store features absent for want of a row, never a default", () => {
    const spec = declared(
      { name: "amount", type: "number", source: "event" },
      { name: "plan", type: "string", source: "either", required: false },
      { name: "tier", type: "string", source: "store", required: false, default: "free" },
    );
    expect(resolveFeatures(event({ amount: 2 }), undefined, spec)).toMatchObject({
      ok: false,
      reason: "missing_feature",
      message: expect.stringContaining('optional feature(s) "plan" are missing'),
    });
    expect(resolveFeatures(event({ amount: 2 }), undefined, spec, "flag")).toEqual({
      ok: true,
      features: { amount: 2, plan: null, tier: "free" },
      degraded: "missing_stored_row",
    });
    // A stored row without the optional column is what the declaration allows: no flag.
    expect(resolveFeatures(event({ amount: 2 }), { other: "x" }, spec)).toEqual({
      ok: true,
      features: { amount: 2, plan: null, tier: "free" },
    });
  });

  it("names an infinite inline value as such, not as null", () => {
    const parsed = JSON.parse('{"a": 1e999}') as Record<string, number>;
    expect(resolveFeatures(event(parsed), { b: "1" }, undefined)).toMatchObject({
      reason: "invalid_features",
      message: "features.a is number Infinity; each feature must be a finite number",
    });
    expect(resolveFeatures(event(parsed), undefined, declared({ name: "a", type: "number" }))).toMatchObject({
      reason: "bad_feature",
      message: expect.stringContaining("number Infinity"),
    });
  });
});
