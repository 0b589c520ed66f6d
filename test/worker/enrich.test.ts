import { describe, expect, it } from "vitest";
import { decodeFeatureRow, mergeFeatures } from "../../worker/src/enrich";
import { CachedFeatureSource } from "../../worker/src/featureCache";
import { featureSource } from "./helpers";

describe("decodeFeatureRow", () => {
  it("reads the newest cell of each feature column as a number, from strings or buffers", () => {
    const row = {
      f: {
        amount: [{ value: "12.5" }, { value: "3" }],
        count: [{ value: Buffer.from("-4") }],
        label: [{ value: "gold" }],
        empty: [{ value: "" }],
      },
      other: { ignored: [{ value: "1" }] },
    };
    expect(decodeFeatureRow(row)).toEqual({ amount: 12.5, count: -4 });
  });

  it("gives no features for a row without the feature family", () => {
    expect(decodeFeatureRow({ other: { a: [{ value: "1" }] } })).toEqual({});
  });
});

describe("mergeFeatures", () => {
  it("overlays the inline features on the stored ones", () => {
    expect(mergeFeatures({ eventId: "e", entityId: "u", features: { a: 2, c: 3 } }, { a: 1, b: 1 })).toEqual({
      a: 2,
      b: 1,
      c: 3,
    });
  });
});

describe("CachedFeatureSource", () => {
  it("serves hot entities from memory until the TTL expires, and looks up only the rest", async () => {
    let now = 0;
    const inner = featureSource(["ghost"]);
    const cache = new CachedFeatureSource(inner, { ttlMs: 1_000, maxEntries: 100, now: () => now });
    await cache.lookup(["a", "b", "ghost"]);
    now = 500;
    const rows = await cache.lookup(["a", "c", "ghost"]);
    expect([...rows.keys()].sort()).toEqual(["a", "c"]);
    expect(inner.calls).toEqual([
      ["a", "b", "ghost"],
      ["c", "ghost"],
    ]);
    now = 1_000;
    await cache.lookup(["a"]);
    expect(inner.calls.at(-1)).toEqual(["a"]);
  });

  it("keeps at most maxEntries, dropping the oldest", async () => {
    const inner = featureSource();
    const cache = new CachedFeatureSource(inner, { ttlMs: 60_000, maxEntries: 2, now: () => 0 });
    await cache.lookup(["a", "b", "c"]);
    await cache.lookup(["b", "c"]);
    expect(inner.calls).toHaveLength(1);
    await cache.lookup(["a"]);
    expect(inner.calls.at(-1)).toEqual(["a"]);
  });
});
