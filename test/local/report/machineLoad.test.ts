import { afterEach, describe, expect, it, vi } from "vitest";
import {
  busyMachineWarning,
  describeMachineLoad,
  sampleMachineLoad,
} from "../../../local/report/machineLoad";

describe("sampleMachineLoad", () => {
  afterEach(() => vi.useRealTimers());

  function sampler(values: number[], cores = 2) {
    vi.useFakeTimers();
    const queue = [...values];
    return sampleMachineLoad({ intervalMs: 1000, cores, readLoad1: () => queue.shift() ?? 0 });
  }

  it("records the 1-minute load at the start, over the run and at the end", () => {
    const load = sampler([0.5, 1.5, 2.5, 1.5]);
    vi.advanceTimersByTime(2000); // two samples during the run
    expect(load.stop()).toEqual({
      cores: 2,
      load1AtStart: 0.5,
      load1Mean: 1.5,
      load1Max: 2.5,
      load1AtEnd: 1.5,
      samples: 4,
      busy: false,
    });
  });

  it("stops sampling once stopped and keeps its answer", () => {
    const load = sampler([1, 1, 9, 9]);
    const first = load.stop();
    vi.advanceTimersByTime(5000);
    expect(load.stop()).toEqual(first);
    expect(first.samples).toBe(2);
  });

  it("calls the machine busy when the load at the start or on average exceeds the cores, and says so", () => {
    const quiet = sampler([1.9, 1.9]).stop();
    expect(quiet.busy).toBe(false);
    expect(busyMachineWarning(quiet)).toBeUndefined();

    const busyAtStart = sampler([9.3, 1.0]).stop();
    expect(busyAtStart.busy).toBe(true);
    expect(busyMachineWarning(busyAtStart)).toBe(
      "warning: the machine was busy (1-min load 9.3 > 2 cores, this run's own processes included): " +
        "throughput and latency figures may not reproduce on a quieter machine",
    );
    expect(describeMachineLoad(busyAtStart)).toBe("load (1-min) 9.3 at start, mean 5.15, max 9.3 on 2 cores");
  });
});
