import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  nextInstanceCount,
  recommendedInstances,
  scaleUpLimit,
  type BacklogScalingInput,
} from "../../../components/workerDeployment/backlogScaling";

/** Inputs with min <= max, as the config schema guarantees. */
const inputs = fc
  .record({
    backlog: fc.nat({ max: 10_000_000 }),
    targetBacklogPerInstance: fc.integer({ min: 1, max: 100_000 }),
    currentInstances: fc.nat({ max: 100 }),
    a: fc.nat({ max: 100 }),
    b: fc.integer({ min: 1, max: 100 }),
    recentRecommendations: fc.array(fc.nat({ max: 200 }), { maxLength: 10 }),
  })
  .map(({ a, b, ...rest }): BacklogScalingInput => ({
    ...rest,
    minInstances: Math.min(a, b),
    maxInstances: Math.max(a, b),
  }));

describe("the backlog autoscaler's decision (CREMA's arithmetic)", () => {
  it("recommends ceil(backlog / target), as KEDA's average-value target does", () => {
    expect(recommendedInstances(0, 1000)).toBe(0);
    expect(recommendedInstances(1, 1000)).toBe(1);
    expect(recommendedInstances(1000, 1000)).toBe(1);
    expect(recommendedInstances(1001, 1000)).toBe(2);
    expect(recommendedInstances(25_000, 1000)).toBe(25);
    expect(() => recommendedInstances(10, 0)).toThrow(/targetBacklogPerInstance/);
  });

  it("always lands within [minInstances, maxInstances]", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const n = nextInstanceCount(i);
        expect(n).toBeGreaterThanOrEqual(i.minInstances);
        expect(n).toBeLessThanOrEqual(i.maxInstances);
      }),
    );
  });

  it("gives enough instances for the backlog unless the cap or the scale-up rate stops it", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const needed = recommendedInstances(i.backlog, i.targetBacklogPerInstance);
        const allowed = i.currentInstances === 0 ? 1 : scaleUpLimit(i.currentInstances);
        expect(nextInstanceCount(i)).toBeGreaterThanOrEqual(Math.min(needed, allowed, i.maxInstances));
      }),
    );
  });

  it("does not shrink for more backlog (monotone), everything else equal", () => {
    fc.assert(
      fc.property(inputs, fc.nat({ max: 1_000_000 }), (i, more) => {
        expect(nextInstanceCount({ ...i, backlog: i.backlog + more })).toBeGreaterThanOrEqual(
          nextInstanceCount(i),
        );
      }),
    );
  });

  it("adds at most max(100 %, 4 instances) per period, and starts from 0 with one instance", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const n = nextInstanceCount(i);
        if (i.currentInstances === 0) expect(n).toBeLessThanOrEqual(Math.max(1, i.minInstances));
        else if (n > i.currentInstances)
          expect(n).toBeLessThanOrEqual(Math.max(scaleUpLimit(i.currentInstances), i.minInstances));
      }),
    );
    expect(
      nextInstanceCount({
        backlog: 100_000,
        targetBacklogPerInstance: 1000,
        currentInstances: 2,
        minInstances: 1,
        maxInstances: 50,
      }),
    ).toBe(6);
    expect(
      nextInstanceCount({
        backlog: 100_000,
        targetBacklogPerInstance: 1000,
        currentInstances: 10,
        minInstances: 1,
        maxInstances: 50,
      }),
    ).toBe(20);
    expect(
      nextInstanceCount({
        backlog: 100_000,
        targetBacklogPerInstance: 1000,
        currentInstances: 0,
        minInstances: 0,
        maxInstances: 50,
      }),
    ).toBe(1);
  });

  it("scales down no lower than the highest recommendation inside the cooldown window", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const n = nextInstanceCount(i);
        if (n < i.currentInstances) {
          const held = Math.max(0, ...(i.recentRecommendations ?? []));
          expect(n).toBeGreaterThanOrEqual(Math.min(i.currentInstances, held, i.maxInstances));
        }
      }),
    );
    const base = {
      backlog: 0,
      targetBacklogPerInstance: 1000,
      currentInstances: 8,
      minInstances: 1,
      maxInstances: 10,
    };
    expect(nextInstanceCount(base)).toBe(1);
    expect(nextInstanceCount({ ...base, recentRecommendations: [5, 3] })).toBe(5);
  });

  it("with no history and room to move, is exactly clamp(ceil(backlog / target))", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const plain = { ...i, recentRecommendations: [], currentInstances: Math.max(1, i.maxInstances) };
        const expected = Math.min(
          Math.max(recommendedInstances(i.backlog, i.targetBacklogPerInstance), i.minInstances),
          i.maxInstances,
        );
        expect(nextInstanceCount(plain)).toBe(expected);
      }),
    );
  });
});
