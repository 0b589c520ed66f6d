import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { trafficSplitWithout } from "../../../../components/serving/modelDeployment";

describe("trafficSplitWithout", () => {
  it("drops the model and gives its share to the others in proportion", () => {
    expect(trafficSplitWithout({ a: 20, b: 30, c: 50 }, "c")).toEqual({ a: 40, b: 60 });
    expect(trafficSplitWithout({ a: 0, b: 100 }, "a")).toEqual({ b: 100 });
    expect(trafficSplitWithout({ a: 100 }, "a")).toEqual({});
  });

  it("splits evenly when the models that stay had no traffic", () => {
    expect(trafficSplitWithout({ a: 100, b: 0, c: 0 }, "a")).toEqual({ b: 50, c: 50 });
  });

  it("always sums to 100 over the remaining models, and never names the removed one", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^d[0-9]{1,4}$/), fc.integer({ min: 0, max: 100 }), { minKeys: 2 }),
        (split) => {
          const [removed] = Object.keys(split);
          const after = trafficSplitWithout(split, removed ?? "");
          expect(Object.keys(after)).not.toContain(removed);
          expect(Object.keys(after)).toHaveLength(Object.keys(split).length - 1);
          expect(Object.values(after).reduce((s, v) => s + v, 0)).toBe(100);
          expect(Object.values(after).every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
        },
      ),
    );
  });
});
