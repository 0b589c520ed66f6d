/**
 * The arithmetic of the benchmark, kept pure so it can be tested: steady-state rates
 * from progress samples, the throughput bound, the ratios the README quotes, and the
 * spread of repeated runs.
 */

/** How many inputs were accounted for (predicted or dead-lettered) at a moment. */
export interface ProgressSample {
  /** ms, any monotonic origin. */
  atMs: number;
  done: number;
}

/**
 * Rate (per second) between the moments `fromShare` and `toShare` of `total` were done,
 * each moment interpolated linearly between samples. Leaving out the first and last
 * part removes the worker's start (connections, JIT) and the tail (last partial batches)
 * from a steady-state figure. Returns undefined when the samples never reach `toShare`.
 */
export function steadyRate(
  samples: readonly ProgressSample[],
  total: number,
  fromShare = 0.1,
  toShare = 0.9,
): number | undefined {
  const from = crossing(samples, total * fromShare);
  const to = crossing(samples, total * toShare);
  if (from === undefined || to === undefined || to <= from) return undefined;
  return ((toShare - fromShare) * total * 1000) / (to - from);
}

/** The moment `done` first reached `target`, interpolated between the two samples around it. */
export function crossing(samples: readonly ProgressSample[], target: number): number | undefined {
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    if (sample.done < target) continue;
    const before = samples[i - 1];
    if (before === undefined || sample.done === before.done) return sample.atMs;
    const share = (target - before.done) / (sample.done - before.done);
    return before.atMs + share * (sample.atMs - before.atMs);
  }
  return undefined;
}

/** The most a worker can do if the model is the only cost: slots x batch size / latency, per second. */
export function throughputBound(maxInFlight: number, maxBatchSize: number, modelLatencyMs: number): number {
  if (!(modelLatencyMs > 0)) throw new RangeError(`model latency must be > 0 ms, got ${modelLatencyMs}`);
  return (maxInFlight * maxBatchSize * 1000) / modelLatencyMs;
}

export interface Ratios {
  /** Batched throughput / naive (batch size 1) throughput. */
  batchedVsNaive: number;
  /** Batched throughput / min(bound, emulator ceiling). */
  efficiency: number;
  /** Which of the two limits was the smaller one. */
  limitedBy: "bound" | "ceiling";
}

export function ratios(batched: number, naive: number, bound: number, ceiling: number): Ratios {
  if (!(naive > 0)) throw new RangeError(`naive throughput must be > 0, got ${naive}`);
  const limit = Math.min(bound, ceiling);
  if (!(limit > 0))
    throw new RangeError(`the bound and the ceiling must be > 0, got ${bound} and ${ceiling}`);
  return {
    batchedVsNaive: round(batched / naive, 2),
    efficiency: round(batched / limit, 3),
    limitedBy: bound <= ceiling ? "bound" : "ceiling",
  };
}

/** Median, min and max of repeated measurements (the machine is shared: report the spread). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError("spread of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return {
    median: round(median, 1),
    min: round(sorted[0]!, 1),
    max: round(sorted.at(-1)!, 1),
    runs: [...values],
  };
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
