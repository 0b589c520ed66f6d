import { describe, expect, it } from "vitest";
import {
  crossing,
  ratios,
  spread,
  steadyCpuPerMessage,
  steadyRate,
  throughputBound,
} from "../../../tools/bench/figures";

describe("steadyCpuPerMessage", () => {
  it("divides the CPU used between 10% and 90% done by the messages done in between", () => {
    // Start-up costs 1,000 ms of CPU before any message; then 0.3 ms per message.
    const samples = [
      { atMs: 0, done: 0, cpuMs: 0 },
      { atMs: 1000, done: 0, cpuMs: 1000 },
      { atMs: 2000, done: 100, cpuMs: 1030 },
      { atMs: 3000, done: 500, cpuMs: 1150 },
      { atMs: 4000, done: 900, cpuMs: 1270 },
      { atMs: 5000, done: 1000, cpuMs: 1300 },
    ];
    expect(steadyCpuPerMessage(samples, 1000)).toBeCloseTo(0.3, 6);
  });

  it("is undefined when the run never got to 90%", () => {
    expect(
      steadyCpuPerMessage(
        [
          { atMs: 0, done: 0, cpuMs: 0 },
          { atMs: 1, done: 500, cpuMs: 9 },
        ],
        1000,
      ),
    ).toBeUndefined();
  });
});

describe("steadyRate", () => {
  it("measures between 10% and 90% done, ignoring a slow start and tail", () => {
    // 1000 messages: nothing for the first 2 s (worker starting), then 100/s, then a slow tail.
    const samples = [
      { atMs: 0, done: 0 },
      { atMs: 2000, done: 0 },
      { atMs: 12000, done: 1000 },
    ];
    expect(steadyRate(samples, 1000)).toBeCloseTo(100, 6);
  });

  it("interpolates the crossing moments between samples", () => {
    const samples = [
      { atMs: 0, done: 0 },
      { atMs: 1000, done: 50 },
      { atMs: 2000, done: 150 },
    ];
    expect(crossing(samples, 100)).toBe(1500);
    expect(crossing(samples, 0)).toBe(0);
    expect(crossing(samples, 151)).toBeUndefined();
  });

  it("is undefined when the run never reached 90%", () => {
    expect(
      steadyRate(
        [
          { atMs: 0, done: 0 },
          { atMs: 1000, done: 500 },
        ],
        1000,
      ),
    ).toBeUndefined();
  });
});

describe("bound and ratios", () => {
  it("bound = in flight x batch size / latency", () => {
    expect(throughputBound(4, 50, 30)).toBeCloseTo(6666.67, 1);
    expect(() => throughputBound(4, 50, 0)).toThrow(/latency must be > 0/);
  });

  it("efficiency divides by the null worker's throughput; the bound and ack-only are information", () => {
    const inputs = { batched: 3000, naive: 100, nullWorker: 4000, bound: 6000, ackOnly: 9000, timer: 2500 };
    expect(ratios(inputs)).toEqual({
      batchedVsNaive: 30,
      efficiency: 0.75,
      ofBound: 0.5,
      ofAckOnly: 0.333,
      workConservingVsTimer: 1.2,
    });
  });

  it("refuses a zero rate instead of reporting Infinity", () => {
    const inputs = { batched: 3000, naive: 0, nullWorker: 4000, bound: 6000, ackOnly: 9000, timer: 2500 };
    expect(() => ratios(inputs)).toThrow(/naive throughput must be > 0/);
    expect(() => ratios({ ...inputs, naive: 100, nullWorker: 0 })).toThrow(/nullWorker throughput/);
  });
});

describe("spread", () => {
  it("reports median, min and max of repeats", () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: [3, 1, 2] });
    expect(spread([4, 1, 2, 3]).median).toBe(2.5);
    expect(() => spread([])).toThrow();
  });
});
