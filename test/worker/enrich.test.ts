import { describe, expect, it } from "vitest";
import { decodeFeatureRow } from "../../worker/src/enrich";
import { CachedFeatureSource } from "../../worker/src/featureCache";
import { featureSource } from "./helpers";

describe("decodeFeatureRow", () => {
  it("reads the newest cell of each feature column as text, from strings or buffers, dropping none", () => {
    const row = {
      f: {
        amount: [{ value: "12.5" }, { value: "3" }],
        count: [{ value: Buffer.from("-4") }],
        label: [{ value: "gold" }],
        empty: [{ value: "" }],
      },
      other: { ignored: [{ value: "1" }] },
    };
    expect(decodeFeatureRow(row)).toEqual({ amount: "12.5", count: "-4", label: "gold", empty: "" });
  });

  it("gives no features for a row without the feature family", () => {
    expect(decodeFeatureRow({ other: { a: [{ value: "1" }] } })).toEqual({});
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
